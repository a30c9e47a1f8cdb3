// The port the voice flows place calls through, and its Exotel implementation: Connect Voice AI, a
// Calls/connect.json POST that streams the answered call to our WebSocket (exotel-protocol.md decision 3).
// This is the seam for the issue-3 Exotel client: replace CallPlacerExotel with a layer over that client.
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Context, Effect, Layer, Option, Redacted, Schema } from "effect"
import { Settings } from "../config/Settings.js"
import { upstreamBaseUrl } from "../config/settingsCatalog.js"

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

const ConnectResponse = Schema.Struct({ Call: Schema.Struct({ Sid: Schema.String }) })
const RestException = Schema.Struct({
  RestException: Schema.Struct({
    Message: Schema.optional(Schema.String),
    Status: Schema.optional(Schema.Unknown),
  }),
})

/** Exotel at the configured base URL, or at `baseUrl` when given (a simulator). */
export const callPlacerExotel = (baseUrl?: string) =>
  Layer.effect(
    CallPlacer,
    Effect.gen(function* () {
      const settings = yield* Settings
      const client = yield* HttpClient.HttpClient
      return CallPlacer.of({
        placeStreamCall: (request) =>
          Effect.gen(function* () {
            const account = (yield* settings.current).exotel
            const base = baseUrl ?? Option.getOrElse(upstreamBaseUrl(account), () => "http://127.0.0.1:0")
            const sid = Option.getOrElse(account.accountSid, () => "simulator")
            const callerId = request.callerId ?? Option.getOrElse(account.defaultExoPhone, () => "")
            const form: Array<[string, string]> = [
              ["From", request.to],
              ["CallerId", callerId],
              ["StreamUrl", request.streamUrl],
              ["StreamType", "bidirectional"],
              ["CustomField", request.customField.slice(0, 128)],
              ["StatusCallback", request.statusCallback],
              ["StatusCallbackEvents[]", "terminal"],
              ["StatusCallbackEvents[]", "answered"],
            ]
            let http = HttpClientRequest.post(
              `${base}/v1/Accounts/${encodeURIComponent(sid)}/Calls/connect.json`,
            ).pipe(HttpClientRequest.bodyUrlParams(form))
            if (Option.isSome(account.apiKey) && Option.isSome(account.apiToken)) {
              http = HttpClientRequest.basicAuth(
                http,
                Redacted.value(account.apiKey.value),
                Redacted.value(account.apiToken.value),
              )
            }
            const response = yield* client.execute(http).pipe(
              Effect.timeout("10 seconds"),
              Effect.mapError(
                (e) => new PlaceCallError({ message: `Exotel unreachable: ${e.message}`, retryable: true }),
              ),
            )
            const body = yield* response.json.pipe(Effect.orElseSucceed(() => null))
            if (response.status >= 200 && response.status < 300) {
              const ok = yield* Schema.decodeUnknown(ConnectResponse)(body).pipe(
                Effect.mapError(
                  () => new PlaceCallError({ message: "Exotel answered without Call.Sid", retryable: false }),
                ),
              )
              return { callSid: ok.Call.Sid }
            }
            const message = Schema.decodeUnknownOption(RestException)(body).pipe(
              Option.flatMap((e) => Option.fromNullable(e.RestException.Message)),
              Option.getOrElse(() => `HTTP ${response.status}`),
            )
            return yield* new PlaceCallError({
              message,
              retryable: response.status === 429 || response.status >= 500,
            })
          }).pipe(Effect.scoped),
      })
    }),
  )

export const CallPlacerExotel = callPlacerExotel()
