// Live calls, folded from the pushed events: calls of the calls table by their status changes, Nerve (vendor
// and rider) calls by the steps of their flow and their domain events. Ended calls stay listed for a minute.
import { useEffect, useState } from "preact/hooks"
import type { ConsoleEvent } from "./events.js"

interface LiveCall {
  readonly callId: string
  readonly kind: string
  readonly status: string
  readonly ended: boolean
  readonly firstSeen: number
  readonly endedAt: number | null
  readonly durationSeconds: number | null
  readonly party: string
  readonly lastKey: string | null
  readonly prompt: string | null
  /** The prompt is being played to the caller now (else it has been heard out, or cut off). */
  readonly promptPlaying: boolean
}

const keepEndedMs = 60_000

const party = (vendorId: number | null | undefined, riderId: number | null | undefined) =>
  typeof vendorId === "number" ? `vendor ${vendorId}` : typeof riderId === "number" ? `rider ${riderId}` : "—"

const timeOf = (event: ConsoleEvent) =>
  Date.parse(event._tag === "Domain" ? (event.event.occurredAt ?? "") : event.at)

export const foldCalls = (events: ReadonlyArray<ConsoleEvent>): ReadonlyArray<LiveCall> => {
  const calls = new Map<string, LiveCall>()
  for (const event of events) {
    const at = timeOf(event)
    if (event._tag === "CallStatus") {
      const before = calls.get(event.callId)
      calls.set(event.callId, {
        callId: event.callId,
        kind: event.kind,
        status: event.status,
        ended: event.terminal,
        firstSeen: before?.firstSeen ?? at,
        endedAt: event.terminal ? at : null,
        durationSeconds: event.durationSeconds,
        party: before?.party ?? "—",
        lastKey: null,
        prompt: null,
        promptPlaying: false,
      })
    } else if (event._tag === "VoiceCallStep") {
      const before = calls.get(event.callId)
      calls.set(event.callId, {
        callId: event.callId,
        kind: event.callType,
        status: event.status,
        ended: event.ended,
        firstSeen: before?.firstSeen ?? at,
        endedAt: event.ended ? (before?.endedAt ?? at) : null,
        durationSeconds: null,
        party: party(event.vendorId, event.riderId),
        lastKey: event.key ?? before?.lastKey ?? null,
        prompt: event.prompt ?? (before?.ended === false ? before.prompt : null),
        promptPlaying: event.prompt !== null && event.promptPlaying,
      })
    } else if (typeof event.event.callId === "string") {
      // A domain event names the call's outcome; its steps, when this process ran them, came first.
      const nerve = event.event
      const callId = nerve.callId ?? ""
      const before = calls.get(callId)
      calls.set(callId, {
        callId,
        kind: before?.kind ?? nerve.callType ?? "nerve",
        status: before?.status ?? nerve.type,
        ended: true,
        firstSeen: before?.firstSeen ?? at,
        endedAt: before?.endedAt ?? at,
        durationSeconds: null,
        party: party(nerve.vendorId, nerve.riderId),
        lastKey: before?.lastKey ?? null,
        prompt: before?.prompt ?? null,
        promptPlaying: false,
      })
    }
  }
  return [...calls.values()].reverse()
}

const clock = (seconds: number) =>
  `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, "0")}`

export const LiveCalls = ({ events }: { events: ReadonlyArray<ConsoleEvent> }) => {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  const calls = foldCalls(events).filter((c) => c.endedAt === null || now - c.endedAt < keepEndedMs)
  const live = calls.filter((c) => !c.ended).length
  return (
    <section aria-labelledby="live-title">
      <h2 id="live-title">
        Live calls <span data-testid="live-count">{live}</span>
      </h2>
      {calls.length === 0 ? (
        <p class="empty">No calls yet; new calls appear here as the gateway places or hears them.</p>
      ) : (
        <div class="scroll">
          <table class="live-calls">
            <thead>
              <tr>
                <th scope="col">Call</th>
                <th scope="col">Kind</th>
                <th scope="col">State</th>
                <th scope="col">Duration</th>
                <th scope="col">Vendor or rider</th>
                <th scope="col">Last key</th>
                <th scope="col">Prompt</th>
              </tr>
            </thead>
            <tbody>
              {calls.map((c) => (
                <tr key={c.callId} data-call-id={c.callId} data-state={c.ended ? "ended" : "live"}>
                  <td class="mono">{c.callId.slice(0, 8)}</td>
                  <td>{c.kind}</td>
                  <td>
                    <span class={c.ended ? "badge ended" : "badge live"}>{c.status}</span>
                  </td>
                  <td>
                    {c.durationSeconds !== null
                      ? clock(c.durationSeconds)
                      : clock(Math.max(0, ((c.endedAt ?? now) - c.firstSeen) / 1000))}
                  </td>
                  <td>{c.party}</td>
                  <td class="mono">{c.lastKey ?? "—"}</td>
                  <td>
                    {c.ended || c.prompt === null
                      ? "—"
                      : `${c.prompt} (${c.promptPlaying ? "playing" : "heard"})`}
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
