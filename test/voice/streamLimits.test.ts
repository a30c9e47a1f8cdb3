// What a voice stream may send (issue 12 §2, §3): a start with odd optional fields is still a start; a start that
// cannot be used, or none at all, closes the stream with a reason and a log line; past its message rate a
// stream's audio is dropped first, and a flood of control messages closes it (1008).
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { captureLogs } from "../support/capturedLogs.js"
import { counter } from "../support/metrics.js"
import { dtmf, opening, type RawOutcome, rawStream } from "../support/rawStream.js"
import { GatewayUrl, VoiceTestGateway } from "../support/voiceGateway.js"

const logs = captureLogs()
const gateway = VoiceTestGateway(() => ({}), { streamIdleSeconds: 2 }).pipe(Layer.provide(logs.layer))

const closed = (outcome: RawOutcome) => {
  expect(outcome._tag, JSON.stringify(outcome)).toBe("Closed")
  return outcome._tag === "Closed" ? outcome : { code: 0, reason: "", received: [] }
}
const marks = (received: ReadonlyArray<string>) =>
  received.filter((m) => m.includes('"event":"mark"')).map((m) => JSON.parse(m).mark.name)

const media = (i: number) =>
  JSON.stringify({
    event: "media",
    sequence_number: String(i + 2),
    media: { chunk: String(i), timestamp: String(i * 100), payload: "A".repeat(400) },
  })

layer(gateway, { timeout: 60_000, excludeTestServices: true })("what a voice stream may send", (it) => {
  it.effect(
    "a start with a bit_rate of 128kbps and an unknown encoding is accepted: the fields are ignored, counted",
    () =>
      Effect.gen(function* () {
        const { stream } = yield* GatewayUrl
        const field = (name: string) => counter("voice_stream_start_fields_ignored_total", { field: name })
        const [bitRate, encoding] = [
          yield* field("start.media_format.bit_rate"),
          yield* field("start.media_format.encoding"),
        ]
        const start = JSON.stringify({
          event: "start",
          sequence_number: 1,
          stream_sid: "MZodd",
          start: {
            call_sid: "CA_odd",
            custom_parameters: { flow: "line_test", language: "en" },
            media_format: { encoding: "audio/x-mulaw", sample_rate: 8000, bit_rate: "128kbps" },
          },
        })
        const outcome = closed(yield* rawStream(stream, { frames: [start, dtmf("5")], closeAfterMs: 1_500 }))
        expect(marks(outcome.received)).toEqual(["digit-1"])
        expect((yield* field("start.media_format.bit_rate")) - bitRate).toBe(1)
        expect((yield* field("start.media_format.encoding")) - encoding).toBe(1)
      }),
  )

  it.effect("a start that cannot be used closes the stream with 1007, its reason and a log line", () =>
    Effect.gen(function* () {
      const { stream } = yield* GatewayUrl
      for (const start of [{ custom_parameters: { flow: "line_test" } }, "CA_text", { call_sid: 42 }]) {
        const frame = JSON.stringify({ event: "start", stream_sid: "MZbad", start })
        const outcome = closed(yield* rawStream(stream, { frames: [frame, dtmf("1")], closeAfterMs: 5_000 }))
        expect(outcome.code).toBe(1007)
        expect(outcome.reason).toContain("unusable start message")
        expect(outcome.received).toEqual([])
      }
      expect(
        logs.lines.filter((l) => l.message.includes("nothing it sent could start a session")).length,
      ).toBeGreaterThanOrEqual(3)
    }),
  )

  it.effect(
    "a stream that sends no start is closed with 1008 once it has had as long as it may stay silent",
    () =>
      Effect.gen(function* () {
        const { stream } = yield* GatewayUrl
        const started = Date.now()
        // Audio keeps the stream from falling silent; without a start it is still closed.
        const outcome = yield* rawStream(stream, {
          frames: [JSON.stringify({ event: "connected" })],
          repeat: { frame: media(0), everyMs: 100 },
          closeAfterMs: 8_000,
        })
        const { code, reason } = closed(outcome)
        expect(code).toBe(1008)
        expect(reason).toContain("no start message")
        expect(Date.now() - started).toBeLessThan(6_000)
      }),
  )

  it.effect(
    "a flood of control messages is closed with 1008; a flood of audio loses audio, never the keypress",
    () =>
      Effect.gen(function* () {
        const { stream, http } = yield* GatewayUrl
        const closes = counter("voice_stream_rate_limited_total", { action: "closed" })
        const drops = counter("voice_stream_rate_limited_total", { action: "media_dropped" })
        const [closedBefore, droppedBefore] = [yield* closes, yield* drops]

        const flood = Array.from({ length: 500 }, () =>
          JSON.stringify({ event: "mark", mark: { name: "x" } }),
        )
        const flooded = closed(
          yield* rawStream(stream, {
            frames: [...opening("CA_flood", { flow: "line_test" }), ...flood],
            closeAfterMs: 5_000,
          }),
        )
        expect(flooded.code).toBe(1008)
        expect(flooded.reason).toBe("message rate above 100 a second")
        expect((yield* closes) - closedBefore).toBe(1)

        const audio = Array.from({ length: 1_000 }, (_, i) => media(i))
        const noisy = closed(
          yield* rawStream(stream, {
            frames: [...opening("CA_noisy", { flow: "line_test", language: "en" }), ...audio, dtmf("7")],
            closeAfterMs: 1_500,
          }),
        )
        expect(noisy.code).toBe(1000)
        expect(marks(noisy.received)).toEqual(["digit-1"])
        expect((yield* drops) - droppedBefore).toBeGreaterThan(500)
        const health = yield* Effect.promise(() => fetch(`${http}/api/exotel/health`))
        expect(health.status).toBe(200)
      }),
  )
})
