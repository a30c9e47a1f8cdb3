// Exotel's terminal status callback can be lost (our gateway down, a network fault); the flow would then wait
// forever. Every minute, calls that have not ended and have heard nothing for a while are looked up on Exotel
// (Calls/<sid>.json), and a terminal status found there is applied like the callback would have been — with
// the same de-duplication key, so a callback arriving later changes nothing.
import { Duration, Effect, Layer, Schedule } from "effect"
import { VoiceCallsRepo } from "../store/VoiceCallsRepo.js"
import { ExotelClient } from "../upstream/exotel/ExotelClient.js"
import { exotelOutcome, exotelTerminalKey } from "./exotelOutcome.js"
import { VoiceCalls } from "./VoiceCalls.js"

export interface ReconcilerOptions {
  /** How long a call may hear nothing before Exotel is asked about it. */
  readonly quietFor: Duration.DurationInput
  readonly every: Duration.DurationInput
}

export const defaultReconcilerOptions: ReconcilerOptions = { quietFor: "5 minutes", every: "1 minute" }

/** Looks up each quiet call once; returns how many were ended. */
export const reconcileOnce = (quietFor: Duration.DurationInput) =>
  Effect.gen(function* () {
    const repo = yield* VoiceCallsRepo
    const exotel = yield* ExotelClient
    const calls = yield* VoiceCalls
    const quiet = yield* repo.quietOpenCalls(Math.ceil(Duration.toSeconds(quietFor)), 50)
    const ended = yield* Effect.forEach(
      quiet,
      ({ id, callSid }) =>
        exotel.callDetails(callSid).pipe(
          Effect.flatMap((upstream) => {
            const event = exotelOutcome[upstream.Status.toLowerCase()]
            if (event === undefined) return Effect.succeed(false)
            return calls.apply(id, {
              event,
              source: "exotel",
              detail: { reconciled: true, Status: upstream.Status, Duration: upstream.Duration },
              dedupKey: exotelTerminalKey(callSid, upstream.Status),
              recordingUrl: upstream.RecordingUrl,
            })
          }),
          // Exotel unreachable or the sid unknown to it: asked again next round.
          Effect.catchAll((error) =>
            Effect.as(
              Effect.logDebug("Could not reconcile a quiet call").pipe(
                Effect.annotateLogs({ callId: id, error: error.message }),
              ),
              false,
            ),
          ),
        ),
      { concurrency: 4 },
    )
    return ended.filter(Boolean).length
  })

/** Runs only where the gateway places calls itself; with an external Nerve system, Nerve follows them. */
export const voiceCallReconcilerLayer = (options: ReconcilerOptions = defaultReconcilerOptions) =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      const calls = yield* VoiceCalls
      if (calls.mode !== "built-in") return
      yield* reconcileOnce(options.quietFor).pipe(
        Effect.catchAllCause((cause) => Effect.logWarning("Reconciling quiet calls failed", cause)),
        Effect.repeat(Schedule.spaced(options.every)),
        Effect.delay(options.every),
        Effect.forkScoped,
      )
    }),
  )
