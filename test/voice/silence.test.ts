import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { playCall } from "../../src/sim/streamCaller/StreamCaller.js"
import { GatewayUrl, VoiceTestGateway } from "../support/voiceGateway.js"

const streamUrl = Effect.map(GatewayUrl, (u) => u.stream)

layer(
  VoiceTestGateway(() => ({}), { streamIdleSeconds: 1 }),
  { timeout: 30_000, excludeTestServices: true },
)("a voice stream's silence timeout", (it) => {
  it.effect("a stream that falls silent is closed by the gateway after the timeout", () =>
    Effect.gen(function* () {
      const url = yield* streamUrl
      const started = Date.now()
      const call = yield* Effect.promise(() =>
        playCall({ url, customParameters: { flow: "line_test" }, chunkEveryMs: 60_000, maxMs: 10_000 }),
      )
      expect(call.closedBy).toBe("gateway")
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
      expect(Date.now() - started).toBeLessThan(4000)
    }),
  )

  it.effect("a stream that keeps sending audio outlives the timeout many times over", () =>
    Effect.gen(function* () {
      const url = yield* streamUrl
      const call = yield* Effect.promise(() =>
        playCall({
          url,
          customParameters: { flow: "line_test" },
          chunkEveryMs: 100,
          digits: [{ atMs: 2500, digit: "7" }],
          hangupAtMs: 3000,
        }),
      )
      expect(call.closedBy).toBe("caller")
      expect(call.digitLatencies[0]).not.toBeNull()
    }),
  )
})
