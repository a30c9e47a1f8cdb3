import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { playCall } from "../../src/sim/streamCaller/StreamCaller.js"
import { post } from "../support/upstream.js"
import { GatewayUrl, VoiceTestGateway } from "../support/voiceGateway.js"

const streamUrl = Effect.map(GatewayUrl, (u) => u.stream)

const call = (callSid: string, customParameters: Record<string, string>) =>
  Effect.flatMap(streamUrl, (url) =>
    Effect.promise(() => playCall({ url, callSid, customParameters, hangupAtMs: 1500 })),
  )

layer(VoiceTestGateway(), { timeout: 60_000, excludeTestServices: true })(
  "CQA of a live stream's own audio",
  (it) => {
    it.effect(
      "a stream with record=true keeps the caller's audio, and CQA measures it (a 220 Hz tone at 8000)",
      () =>
        Effect.gen(function* () {
          yield* call("CA_stream_recorded", { flow: "line_test", record: "true" })
          const answer = yield* post("/cqa/analyze", { callSid: "CA_stream_recorded", analysisType: "full" })
          expect(answer.status, JSON.stringify(answer.body)).toBe(200)
          expect(answer.body).toMatchObject({ audioSource: "stream", recordingUrl: null })
          const acoustics = answer.body.acoustics
          const figure = (name: string) =>
            Number(
              typeof acoustics === "object" && acoustics !== null ? Reflect.get(acoustics, name) : Number.NaN,
            )
          // The caller sends 0.1 s of tone every 100 ms and hangs up at 1.5 s: whole chunks, all of them talk.
          const duration = figure("durationSeconds")
          expect(duration).toBeGreaterThanOrEqual(0.8)
          expect(duration).toBeLessThanOrEqual(1.6)
          expect(Math.round(duration * 10) / 10).toBeCloseTo(duration, 9)
          expect(figure("talkSeconds")).toBeCloseTo(duration, 9)
          expect(figure("peakDbfs")).toBeCloseTo(20 * Math.log10(8000 / 32768), 1)
        }),
    )

    it.effect("a stream without record keeps nothing: its call is unknown to CQA", () =>
      Effect.gen(function* () {
        yield* call("CA_stream_unrecorded", { flow: "line_test" })
        const answer = yield* post("/cqa/analyze", { callSid: "CA_stream_unrecorded", analysisType: "full" })
        expect(answer.status).toBe(404)
      }),
    )
  },
)
