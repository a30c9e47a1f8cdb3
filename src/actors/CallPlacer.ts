// The port the voice flows place calls through, and its Exotel implementation: Connect Voice AI, a
// Calls/connect.json POST that streams the answered call to our WebSocket (exotel-protocol.md decision 3),
// sent through the gateway's one Exotel client — its retries, timeout and circuit breaker included.
import { Context, Effect, Layer, Option, Schema } from "effect"
import { Settings } from "../config/Settings.js"
import { ExotelClient } from "../upstream/exotel/ExotelClient.js"

export interface StreamCallRequest {
  readonly to: string
  readonly callerId?: string | undefined
  readonly streamUrl: string
  readonly statusCallback: string
  readonly customField: string
}

export class PlaceCallError extends Schema.TaggedError<PlaceCallError>()("PlaceCallError", {
  message: Schema.String,
  /** Busy lines, rate limits and network trouble are worth another attempt; a rejected request is not. */
  retryable: Schema.Boolean,
}) {}

export interface CallPlacerShape {
  readonly placeStreamCall: (
    request: StreamCallRequest,
  ) => Effect.Effect<{ readonly callSid: string }, PlaceCallError>
}

export class CallPlacer extends Context.Tag("CallPlacer")<CallPlacer, CallPlacerShape>() {}

export const CallPlacerExotel = Layer.effect(
  CallPlacer,
  Effect.gen(function* () {
    const exotel = yield* ExotelClient
    const settings = yield* Settings
    return CallPlacer.of({
      placeStreamCall: (request) =>
        Effect.gen(function* () {
          const account = (yield* settings.current).exotel
          const callerId = request.callerId ?? Option.getOrUndefined(account.defaultExoPhone)
          // Exotel requires a CallerId (§1.5): without one there is nothing to ask it, now or on a retry.
          if (callerId === undefined) {
            return yield* new PlaceCallError({
              message: "No ExoPhone to call from: configure exotel-default-exophone",
              retryable: false,
            })
          }
          const call = yield* exotel
            .connectCall({
              from: request.to,
              callerId,
              streamUrl: request.streamUrl,
              streamType: "bidirectional",
              customField: request.customField.slice(0, 128),
              statusCallback: request.statusCallback,
              statusCallbackEvents: ["terminal", "answered"],
            })
            .pipe(
              Effect.mapError(
                (error) =>
                  new PlaceCallError({
                    message: `Exotel: ${error.message}`,
                    // A rejected request is wrong as it stands; an unreachable Exotel may answer later.
                    retryable: error._tag !== "ExotelRejected",
                  }),
              ),
            )
          return { callSid: call.Sid }
        }),
    })
  }),
)
