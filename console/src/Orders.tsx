// An order's Nerve calls (vendor confirmation, rider assignment, pickup), each with its attempts and the event
// log its flow kept: what was heard, from where, whether it was applied, and the status it left.
import { useEffect, useState } from "preact/hooks"
import { call, messageOf } from "./api.js"
import { orderHref, orderOfHash, useHash } from "./hashRoute.js"

interface Attempt {
  readonly attempt: number
  readonly status: string
  readonly outcome: string | null
  readonly startedAt: string
}

interface LoggedEvent {
  readonly event: string
  readonly source: string
  readonly applied: boolean
  readonly statusAfter: string
  readonly at: string
}

interface OrderCall {
  readonly id: string
  readonly callType: string
  readonly status: string
  readonly vendorId: number | null
  readonly riderId: number | null
  readonly attempts: ReadonlyArray<Attempt>
  readonly events: ReadonlyArray<LoggedEvent>
}

const who = (c: OrderCall) =>
  c.vendorId !== null ? `vendor ${c.vendorId}` : c.riderId !== null ? `rider ${c.riderId}` : ""

const clock = (iso: string) => new Date(iso).toLocaleTimeString()

const CallLog = ({ c }: { c: OrderCall }) => (
  <li class="card" data-order-call-id={c.id} data-call-type={c.callType}>
    <div class="card-head">
      <h3>
        {c.callType} <span class="hint">{who(c)}</span>
      </h3>
      <span class="badge">{c.status}</span>
    </div>
    <p class="hint">
      Attempts:{" "}
      {c.attempts.map((a) => `#${a.attempt} ${a.outcome ?? a.status} at ${clock(a.startedAt)}`).join(" · ")}
    </p>
    <div class="scroll">
      <table class="event-log">
        <caption class="visually-hidden">Event log of {c.id}</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">From</th>
            <th scope="col">Status after</th>
          </tr>
        </thead>
        <tbody>
          {c.events.map((e, i) => (
            <tr key={i} class={e.applied ? "" : "ignored"}>
              <td>{clock(e.at)}</td>
              <td class="mono">{e.applied ? e.event : `${e.event} (not applied)`}</td>
              <td>{e.source}</td>
              <td>{e.statusAfter}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  </li>
)

export const Orders = ({ token }: { token: string }) => {
  const hash = useHash()
  const asked = orderOfHash(hash)
  const [entered, setEntered] = useState(asked ?? "")
  const [calls, setCalls] = useState<ReadonlyArray<OrderCall> | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (asked === null) return
    setEntered(asked)
    setCalls(null)
    setError(null)
    void call(token, "GET", `/nerve/orders/${encodeURIComponent(asked)}/calls`).then((answer) =>
      answer.status === 200
        ? setCalls((answer.body as { calls: ReadonlyArray<OrderCall> }).calls)
        : setError(messageOf(answer)),
    )
  }, [asked, token])
  return (
    <section aria-labelledby="orders-title">
      <h2 id="orders-title">Nerve calls of an order</h2>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault()
          const id = Number(entered.trim())
          // The hash drives the look-up, so a typed id and a followed link take the same path.
          location.hash = Number.isInteger(id) && id > 0 ? orderHref(id) : `#orders/${entered.trim()}`
        }}
      >
        <label for="order-id">Order id</label>
        <input
          id="order-id"
          inputMode="numeric"
          value={entered}
          onInput={(event) => setEntered(event.currentTarget.value)}
          required
        />
        <button type="submit">Show calls</button>
      </form>
      {error !== null && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {asked !== null && calls === null && error === null && <p class="empty">Loading…</p>}
      {calls !== null && (
        <ul class="cards wide">
          {calls.map((c) => (
            <CallLog key={c.id} c={c} />
          ))}
        </ul>
      )}
    </section>
  )
}
