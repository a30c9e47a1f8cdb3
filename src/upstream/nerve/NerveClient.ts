// The Nerve system (the AI voice-call orchestrator at NERVE_SYSTEM_URL): we ask it to place a call and it
// reports back at POST /api/exotel/nerve/callback. Paths, chosen here and served by src/sim/nerve:
//   POST <NERVE_SYSTEM_URL>/calls/vendor-confirm   the seed's vendor body + callId + callbackUrl
//   POST <NERVE_SYSTEM_URL>/calls/rider-assign     the seed's rider body + callId + callbackUrl
//   GET  <NERVE_SYSTEM_URL>/health
// Each POST answers {"callSid": "…"}.
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Context, Effect, Layer, Schema } from "effect"

export class NerveUnavailable extends Schema.TaggedError<NerveUnavailable>()("NerveUnavailable", {
  message: Schema.String,
}) {}

export const NervePlaced = Schema.Struct({ callSid: Schema.String })

export interface NerveClientShape {
  readonly place: (
    path: "/calls/vendor-confirm" | "/calls/rider-assign",
    body: Record<string, unknown>,
  ) => Effect.Effect<{ readonly callSid: string }, NerveUnavailable>
  readonly health: Effect.Effect<{ readonly ok: boolean; readonly latencyMs: number }>
}

export class NerveClient extends Context.Tag("NerveClient")<NerveClient, NerveClientShape>() {}

export const nerveClientLayer = (baseUrl: string) =>
  Layer.effect(
    NerveClient,
    Effect.map(HttpClient.HttpClient, (client) =>
      NerveClient.of({
        place: (path, body) =>
          HttpClientRequest.post(`${baseUrl}${path}`).pipe(
            HttpClientRequest.bodyUnsafeJson(body),
            client.execute,
            Effect.flatMap((r) =>
              r.status >= 200 && r.status < 300
                ? r.json
                : Effect.fail(new Error(`Nerve answered HTTP ${r.status}`)),
            ),
            Effect.flatMap(Schema.decodeUnknown(NervePlaced)),
            Effect.scoped,
            Effect.timeout("10 seconds"),
            Effect.mapError(
              (e) => new NerveUnavailable({ message: `Nerve could not place the call: ${e.message}` }),
            ),
          ),
        health: Effect.gen(function* () {
          const started = performance.now()
          const ok = yield* client.get(`${baseUrl}/health`).pipe(
            Effect.map((r) => r.status === 200),
            Effect.scoped,
            Effect.timeout("2 seconds"),
            Effect.orElseSucceed(() => false),
          )
          return { ok, latencyMs: Math.round(performance.now() - started) }
        }),
      }),
    ),
  )
