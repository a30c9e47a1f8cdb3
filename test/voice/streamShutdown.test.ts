// A gateway that stops while calls are streaming: each stream is told the gateway is going away (1001) and its
// session is ended before the database closes, and the stop does not wait on the callers.
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Layer, Scope } from "effect"
import WebSocket from "ws"
import { CallRegistry } from "../../src/actors/CallRegistry.js"
import { GatewayUrl, VoiceTestGateway } from "../support/voiceGateway.js"

const start = (sid: string) =>
  JSON.stringify({
    event: "start",
    sequence_number: "1",
    stream_sid: sid,
    start: { stream_sid: sid, call_sid: `C${sid}`, custom_parameters: { flow: "line_test" } },
  })

describe("voice streams at shutdown", () => {
  it.live(
    "are closed as going away, their sessions ended, within the shutdown's bound",
    () =>
      Effect.gen(function* () {
        const scope = yield* Scope.make()
        const context = yield* Layer.buildWithScope(VoiceTestGateway(), scope)
        const { stream: url } = Effect.runSync(Effect.provide(GatewayUrl, context))
        const registry = Effect.runSync(Effect.provide(CallRegistry, context))
        const closes = yield* Effect.forEach(
          ["MZshut1", "MZshut2", "MZshut3"],
          (sid) =>
            Effect.gen(function* () {
              const closed = yield* Deferred.make<number>()
              yield* Effect.async<void>((resume) => {
                const ws = new WebSocket(url, { perMessageDeflate: false })
                ws.on("open", () => {
                  ws.send(start(sid))
                  resume(Effect.void)
                })
                ws.on("close", (code) => Deferred.unsafeDone(closed, Exit.succeed(code)))
              })
              return closed
            }),
          { concurrency: "unbounded" },
        )
        // The three sessions are live before the stop.
        yield* Effect.promise(async () => {
          while ((await Effect.runPromise(registry.size)) < 3) await new Promise((r) => setTimeout(r, 20))
        }).pipe(Effect.timeout("10 seconds"))
        const stopping = Date.now()
        yield* Scope.close(scope, Exit.void)
        const codes = yield* Effect.forEach(closes, Deferred.await)
        expect(codes).toEqual([1001, 1001, 1001])
        expect(Date.now() - stopping).toBeLessThan(10_000)
        expect(yield* registry.size).toBe(0)
      }),
    60_000,
  )
})
