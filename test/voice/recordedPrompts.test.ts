// Recorded prompts (issue 15): an admin uploads a WAV per prompt key and language; a bad upload is refused with
// what was wrong; a good one is listed, and a vendor who accepts an order hears it, over a real socket, instead
// of the synthesized prompt, until it is removed.

import { HttpClientRequest } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Context, Effect, Layer, Option } from "effect"
import {
  type ConnectedCall,
  type ConnectRequest,
  startExotelConnectPeer,
} from "../../src/sim/streamCaller/ExotelConnectPeer.js"
import { wavFile } from "../../src/stream/wav.js"
import { asAdmin, clientWith } from "../support/testGateway.js"
import { eventually, get } from "../support/upstream.js"
import { VoiceTestGateway } from "../support/voiceGateway.js"

class Calls extends Context.Tag("Calls")<Calls, { readonly placed: Array<Promise<ConnectedCall>> }>() {}

const Gateway = Layer.unwrapScoped(
  Effect.gen(function* () {
    const peer = yield* Effect.acquireRelease(
      Effect.promise(() =>
        startExotelConnectPeer((_: ConnectRequest) => ({
          kind: "answer",
          // Accepts at once (the offer is cut short), then hears the prep-time question out.
          script: {
            digits: [{ atMs: 300, digit: "1" }],
            hangupAfterMarks: 1,
            keepAudio: true,
            maxMs: 30_000,
          },
        })),
      ),
      (p) => Effect.promise(p.close),
    )
    return Layer.merge(
      VoiceTestGateway(() => ({ exotelServiceUrl: Option.some(peer.url) })),
      Layer.succeed(Calls, { placed: peer.calls }),
    )
  }),
)

/** Stereo 16-bit PCM at 44.1 kHz: a rate no stream has, so it must be resampled. */
const stereoTone = (hz: number, seconds: number) => {
  const rate = 44_100
  const frames = Math.round(rate * seconds)
  const pcm = new Uint8Array(frames * 4)
  const v = new DataView(pcm.buffer)
  for (let i = 0; i < frames; i++) {
    const s = Math.round(9000 * Math.sin((2 * Math.PI * hz * i) / rate))
    v.setInt16(i * 4, s, true)
    v.setInt16(i * 4 + 2, s, true)
  }
  const mono = wavFile(pcm, rate)
  // The header wavFile writes is mono's: made stereo here (channels 2, bytes per second and per frame doubled).
  const h = new DataView(mono.buffer)
  h.setUint16(22, 2, true)
  h.setUint32(28, rate * 4, true)
  h.setUint16(32, 4, true)
  return mono
}

/** 32 ms frames of 8 kHz PCM whose zero crossings put them within 3% of `hz`, loud enough to be heard. */
const framesAt = (pcm: Uint8Array, hz: number) => {
  const v = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength)
  const n = 256
  let count = 0
  for (let start = 0; (start + n) * 2 <= pcm.length; start += n) {
    let crossings = 0
    let energy = 0
    for (let i = 1; i < n; i++) {
      const a = v.getInt16((start + i - 1) * 2, true)
      const b = v.getInt16((start + i) * 2, true)
      if (a < 0 !== b < 0) crossings++
      energy += b * b
    }
    const measured = (crossings / 2) * (8000 / n)
    if (Math.sqrt(energy / n) > 1000 && Math.abs(measured - hz) < hz * 0.03) count++
  }
  return count
}

const upload = (path: string, body: Uint8Array, token?: string) =>
  Effect.gen(function* () {
    const client = token === undefined ? yield* asAdmin : yield* clientWith(token)
    const response = yield* client.execute(
      HttpClientRequest.put(`/api/exotel${path}`).pipe(HttpClientRequest.bodyUint8Array(body, "audio/wav")),
    )
    return { status: response.status, body: (yield* response.json) as Record<string, unknown> }
  }).pipe(Effect.scoped, Effect.orDie)

const remove = (path: string) =>
  Effect.flatMap(asAdmin, (client) => client.execute(HttpClientRequest.del(`/api/exotel${path}`))).pipe(
    Effect.map((r) => r.status),
    Effect.scoped,
    Effect.orDie,
  )

layer(Gateway, { timeout: 120_000, excludeTestServices: true })("recorded prompts", (it) => {
  it.effect("a bad upload is refused with what was wrong, and nothing is kept", () =>
    Effect.gen(function* () {
      const notWav = yield* upload("/prompts/prep_time_question/en", new TextEncoder().encode("ID3 an mp3"))
      expect(notWav).toMatchObject({
        status: 400,
        body: { message: expect.stringContaining("not a WAV file") },
      })
      const long = yield* upload(
        "/prompts/prep_time_question/en",
        wavFile(new Uint8Array(8000 * 2 * 31), 8000),
      )
      expect(long).toMatchObject({
        status: 400,
        body: { message: expect.stringContaining("too long: 31.0 s") },
      })
      const unknownKey = yield* upload("/prompts/vendor_offer/en", wavFile(new Uint8Array(8000), 8000))
      expect(unknownKey.status).toBe(400)
      const unknownLanguage = yield* upload(
        "/prompts/thanks_accepted/fr",
        wavFile(new Uint8Array(8000), 8000),
      )
      expect(unknownLanguage.status).toBe(400)
      expect(yield* remove("/prompts/thanks_accepted/hi")).toBe(404)
      const listed = yield* get("/prompts")
      expect(listed.body).toMatchObject({ prompts: [] })
      const sql = yield* SqlClient.SqlClient
      expect(yield* sql`SELECT 1 FROM recorded_prompts`).toHaveLength(0)
    }),
  )

  it.effect("a vendor hears the recording instead of the synthesized prompt, until it is removed", () =>
    Effect.gen(function* () {
      const { placed } = yield* Calls
      // Seven seconds of stereo at 44.1 kHz: 1.2 MB, past the default body limit of 1 MiB.
      const file = stereoTone(1000, 7)
      expect(file.length).toBeGreaterThan(1024 * 1024)
      const stored = yield* upload("/prompts/prep_time_question/en", file)
      expect(stored).toMatchObject({
        status: 200,
        body: { key: "prep_time_question", language: "en", sourceRate: 44_100, durationMs: 7_000 },
      })
      const listed = yield* get("/prompts")
      expect(listed.body).toMatchObject({ prompts: [{ key: "prep_time_question", language: "en" }] })

      const call = (orderId: number) =>
        Effect.gen(function* () {
          const admin = yield* asAdmin
          const before = placed.length
          const r = yield* admin.execute(
            HttpClientRequest.post("/api/exotel/nerve/vendor/confirm").pipe(
              HttpClientRequest.bodyUnsafeJson({
                orderId,
                vendorId: 7,
                vendorPhone: `+9198111${String(orderId).padStart(5, "0")}`,
                vendorName: "Ravi",
                orderAmount: 90,
                language: "en",
              }),
            ),
          )
          expect(r.status).toBe(200)
          yield* eventually(
            Effect.sync(() => placed.length),
            (n) => n > before,
            "10 seconds",
          )
          const done = yield* Effect.promise(() => placed[before] ?? Promise.reject(new Error("no call")))
          return done.recording?.audio ?? new Uint8Array()
        })

      const heard = yield* call(51)
      // The prep-time question, heard out, is the recording: seven seconds of its 1 kHz tone, resampled to 8 kHz
      // (218 frames of 32 ms).
      expect(framesAt(heard, 1000)).toBeGreaterThan(200)
      expect(yield* remove("/prompts/prep_time_question/en")).toBe(204)
      const synthesized = yield* call(52)
      expect(synthesized.length).toBeGreaterThan(8000)
      expect(framesAt(synthesized, 1000)).toBe(0)
    }),
  )
})
