// Orders waiting on a vendor or a rider: their calls on the line and undecided, or ended failed, busy or
// unanswered, each with "Retry now" for an operator. Read when the view opens, after a retry, and again when a
// Nerve call's step or outcome is pushed (at most once a second).
import { useEffect, useRef, useState } from "preact/hooks"
import { call, messageOf, type Role, roleAllows } from "./api.js"
import type { ConsoleEvent } from "./events.js"
import { orderHref } from "./hashRoute.js"

interface WaitingCall {
  readonly id: string
  readonly callType: string
  readonly orderId: number | null
  readonly vendorId: number | null
  readonly riderId: number | null
  readonly status: string
  readonly attempts: ReadonlyArray<unknown>
}

const retryable = new Set(["failed", "busy", "no_response"])
const refreshAfterMs = 1000

const who = (c: WaitingCall) =>
  c.vendorId !== null ? `vendor ${c.vendorId}` : c.riderId !== null ? `rider ${c.riderId}` : "—"

export const Waiting = ({
  token,
  role,
  events,
}: {
  token: string
  role: Role
  events: ReadonlyArray<ConsoleEvent>
}) => {
  const [calls, setCalls] = useState<ReadonlyArray<WaitingCall> | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null)
  const load = async () => {
    const answer = await call(token, "GET", "/nerve/calls/waiting")
    if (answer.status !== 200) return setError(messageOf(answer))
    setCalls((answer.body as { calls: ReadonlyArray<WaitingCall> }).calls)
  }
  useEffect(() => {
    void load()
  }, [token])
  const nerveEvents = events.filter((e) => e._tag !== "CallStatus").length
  useEffect(() => {
    if (nerveEvents === 0 || pending.current !== null) return
    pending.current = setTimeout(() => {
      pending.current = null
      void load()
    }, refreshAfterMs)
  }, [nerveEvents])
  useEffect(() => () => clearTimeout(pending.current ?? undefined), [])
  const retry = async (waiting: WaitingCall) => {
    setBusy(waiting.id)
    const answer = await call(token, "POST", `/nerve/calls/${waiting.id}/retry`, {})
    setBusy(null)
    setError(answer.status >= 300 ? messageOf(answer) : null)
    await load()
  }
  const operator = roleAllows(role, "operator")
  return (
    <section aria-labelledby="waiting-title">
      <h2 id="waiting-title">Waiting on a vendor or rider</h2>
      {error !== null && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {calls === null ? (
        <p class="empty">Loading…</p>
      ) : calls.length === 0 ? (
        <p class="empty">Nobody is keeping an order waiting.</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Call</th>
                <th scope="col">Who</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">
                  <span class="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {calls.map((c) => (
                <tr key={c.id} data-waiting-id={c.id} data-status={c.status}>
                  <td>{c.orderId === null ? "—" : <a href={orderHref(c.orderId)}>{c.orderId}</a>}</td>
                  <td>{c.callType}</td>
                  <td>{who(c)}</td>
                  <td>
                    <span class={retryable.has(c.status) ? "badge paused" : "badge live"}>{c.status}</span>
                  </td>
                  <td>{c.attempts.length}</td>
                  <td>
                    {operator && retryable.has(c.status) && (
                      <button type="button" disabled={busy === c.id} onClick={() => void retry(c)}>
                        Retry now
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
