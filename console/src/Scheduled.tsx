// The scheduled calls due next and why each has not been dialled yet: the reason is the gateway's, asked of the
// same policy its dispatcher decides by (GET /scheduled-calls/upcoming), never worked out here.
import { useEffect, useState } from "preact/hooks"
import { call, messageOf } from "./api.js"

interface Upcoming {
  readonly id: string
  readonly phone: string
  readonly purpose: string
  readonly scheduledTime: string
  readonly attempts: number
  readonly waiting: { readonly kind: string; readonly reason: string }
}

const shown = 20

export const Scheduled = ({ token }: { token: string }) => {
  const [calls, setCalls] = useState<ReadonlyArray<Upcoming> | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = async () => {
    const answer = await call(token, "GET", `/scheduled-calls/upcoming?limit=${shown}`)
    if (answer.status !== 200) return setError(messageOf(answer))
    setError(null)
    setCalls((answer.body as { scheduledCalls: ReadonlyArray<Upcoming> }).scheduledCalls)
  }
  useEffect(() => {
    void load()
  }, [token])
  return (
    <section aria-labelledby="scheduled-title">
      <h2 id="scheduled-title">Scheduled calls due next</h2>
      <button type="button" onClick={() => void load()}>
        Refresh
      </button>
      {error !== null && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {calls === null ? (
        <p class="empty">Loading…</p>
      ) : calls.length === 0 ? (
        <p class="empty">No scheduled call is pending.</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Due</th>
                <th scope="col">Why it waits</th>
                <th scope="col">Purpose</th>
                <th scope="col">Phone</th>
                <th scope="col">Attempts</th>
              </tr>
            </thead>
            <tbody>
              {calls.map((c) => (
                <tr key={c.id} data-scheduled-id={c.id} data-waiting={c.waiting.kind}>
                  <td>{new Date(c.scheduledTime).toLocaleString()}</td>
                  <td class="reason">{c.waiting.reason}</td>
                  <td>{c.purpose}</td>
                  <td class="mono">{c.phone}</td>
                  <td>{c.attempts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
