// What a Nerve voice call (vendor or rider) is doing, moment to moment: each applied step of its flow, with the
// key just pressed and the prompt just started. For watchers (the console's live calls); nothing durable
// depends on it — the call's row and its domain events are the record.
import { Context, Effect, Layer, PubSub, type Scope, Stream } from "effect"
import type { CallStatus, CallType } from "../domain/VoiceCall.js"

export interface VoiceCallStep {
  readonly callId: string
  readonly callType: CallType
  readonly status: CallStatus
  readonly ended: boolean
  readonly attempt: number
  readonly orderId: number | null
  readonly vendorId: number | null
  readonly riderId: number | null
  /** The key this step consumed, if it was a key press. */
  readonly key: string | null
  /** The last prompt this step started to speak, if any. */
  readonly prompt: string | null
  /**
   * Whether that prompt is playing now. A step that starts one says true; once it has been heard out the session
   * publishes the step again with false (a prompt cut off by the next one is followed by that one's step).
   */
  readonly promptPlaying: boolean
  readonly at: string
}

export interface VoiceCallActivityShape {
  readonly publish: (step: VoiceCallStep) => Effect.Effect<void>
  /** Every step published after the subscription was taken. */
  readonly subscribe: Effect.Effect<Stream.Stream<VoiceCallStep>, never, Scope.Scope>
}

export class VoiceCallActivity extends Context.Tag("VoiceCallActivity")<
  VoiceCallActivity,
  VoiceCallActivityShape
>() {}

export const VoiceCallActivityLive = Layer.scoped(
  VoiceCallActivity,
  Effect.gen(function* () {
    // Sliding: a watcher that stops reading loses the oldest steps, never slows a call session.
    const hub = yield* Effect.acquireRelease(PubSub.sliding<VoiceCallStep>(1024), PubSub.shutdown)
    return VoiceCallActivity.of({
      publish: (step) => Effect.asVoid(PubSub.publish(hub, step)),
      subscribe: Effect.map(PubSub.subscribe(hub), Stream.fromQueue),
    })
  }),
)
