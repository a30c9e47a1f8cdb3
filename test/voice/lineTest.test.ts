import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { CallRegistry } from "../../src/actors/CallRegistry.js"
import { playCall } from "../../src/sim/streamCaller/StreamCaller.js"
import { GatewayUrl, VoiceTestGateway } from "../support/voiceGateway.js"

const streamUrl = Effect.map(GatewayUrl, (u) => u.stream)

layer(VoiceTestGateway(), { timeout: 60_000, excludeTestServices: true })(
  "line_test over a real WebSocket",
  (it) => {
    it.effect(
      "every digit is read back at once, in 320-byte-aligned frames, each prompt closed by a mark",
      () =>
        Effect.gen(function* () {
          const url = yield* streamUrl
          const call = yield* Effect.promise(() =>
            playCall({
              url,
              customParameters: { flow: "line_test", language: "en" },
              digits: [
                { atMs: 300, digit: "5" },
                { atMs: 900, digit: "#" },
              ],
              hangupAtMs: 1500,
            }),
          )
          expect(call.closedBy).toBe("caller")
          expect(call.digitLatencies).toHaveLength(2)
          for (const latency of call.digitLatencies) {
            expect(latency).not.toBeNull()
            expect(latency ?? Infinity).toBeLessThan(100)
          }
          expect(call.mediaBytes % 320).toBe(0)
          expect(call.marks).toEqual(["digit-1", "digit-2"])
          expect(call.badFrames).toEqual([])
        }),
    )

    it.effect(
      "a key pressed while the read-back still plays cuts it short with a clear; one after it, not",
      () =>
        Effect.gen(function* () {
          const url = yield* streamUrl
          const call = yield* Effect.promise(() =>
            playCall({
              url,
              customParameters: { flow: "line_test", language: "en" },
              digits: [
                { atMs: 300, digit: "1" },
                { atMs: 380, digit: "2" },
                { atMs: 1000, digit: "3" },
              ],
              hangupAtMs: 1500,
            }),
          )
          expect(call.marks).toEqual(["digit-1", "digit-2", "digit-3"])
          expect(call.clears).toBe(1)
        }),
    )

    it.effect("malformed and out-of-order messages are counted, never fatal", () =>
      Effect.gen(function* () {
        const url = yield* streamUrl
        const call = yield* Effect.promise(() =>
          playCall({
            url,
            customParameters: { flow: "line_test" },
            extraFrames: [
              "{oops",
              '{"event":"dtmf","dtmf":{}}',
              '{"event":"start","start":{"call_sid":"again"}}',
              "[]",
            ],
            digits: [{ atMs: 300, digit: "1" }],
            hangupAtMs: 800,
          }),
        )
        expect(call.digitLatencies[0]).not.toBeNull()
      }),
    )

    it.effect("an unknown flow gets a short apology and a clean close", () =>
      Effect.gen(function* () {
        const url = yield* streamUrl
        const call = yield* Effect.promise(() =>
          playCall({ url, customParameters: { flow: "karaoke" }, maxMs: 10_000 }),
        )
        expect(call.closedBy).toBe("gateway")
        expect(call.mediaFrames).toBeGreaterThan(0)
        expect(call.marks).toEqual(["apology"])
      }),
    )

    describe("200 concurrent line tests", () => {
      it.effect("every one is answered and the registry is empty afterwards", () =>
        Effect.gen(function* () {
          const url = yield* streamUrl
          const calls = yield* Effect.promise(() =>
            Promise.all(
              Array.from({ length: 200 }, (_, i) =>
                playCall({
                  url,
                  customParameters: { flow: "line_test" },
                  digits: [{ atMs: 200 + (i % 50) * 5, digit: String(i % 10) }],
                  hangupAtMs: 1200,
                }),
              ),
            ),
          )
          expect(calls.every((c) => c.digitLatencies[0] !== null && c.marks.length === 1)).toBe(true)
          const registry = yield* CallRegistry
          yield* Effect.sleep("200 millis")
          expect(yield* registry.size).toBe(0)
        }),
      )
    })
  },
)
