// Every status change a call in the calls table goes through, as it is recorded (from Exotel's callback or
// from reconciling with Exotel). Whoever placed the call — the scheduler, a campaign runner — follows its
// outcome here at once; the calls table stays the durable record for anyone who was not listening.
import { Context, Effect, Layer, PubSub, type Scope, Stream } from "effect"
import { type CallRecord, terminalCallStatuses } from "../store/CallsRepo.js"

export interface CallStatusChange {
  readonly callId: string
  readonly callSid: string
  readonly kind: string
  readonly status: string
  readonly terminal: boolean
  readonly durationSeconds: number | null
}

export interface CallStatusChangesShape {
  readonly publish: (change: CallStatusChange) => Effect.Effect<void>
  /** Every change published after the subscription was taken. */
  readonly subscribe: Effect.Effect<Stream.Stream<CallStatusChange>, never, Scope.Scope>
}

export class CallStatusChanges extends Context.Tag("CallStatusChanges")<
  CallStatusChanges,
  CallStatusChangesShape
>() {}

export const isTerminalCallStatus = (status: string) =>
  (terminalCallStatuses as ReadonlyArray<string>).includes(status)

export const statusChangeOf = (
  call: CallRecord,
  callSid: string,
  status: string,
  durationSeconds: number | null,
): CallStatusChange => ({
  callId: call.id,
  callSid,
  kind: call.kind,
  status,
  terminal: isTerminalCallStatus(status),
  durationSeconds,
})

export const CallStatusChangesLive = Layer.scoped(
  CallStatusChanges,
  Effect.gen(function* () {
    // Sliding: a subscriber that falls behind loses the oldest changes (the table still has them); a
    // status callback is never held up by a slow reader.
    const hub = yield* Effect.acquireRelease(PubSub.sliding<CallStatusChange>(8192), PubSub.shutdown)
    return CallStatusChanges.of({
      publish: (change) => Effect.asVoid(PubSub.publish(hub, change)),
      subscribe: Effect.map(PubSub.subscribe(hub), Stream.fromQueue),
    })
  }),
)
