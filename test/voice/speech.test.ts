// Acceptance of issue 15's built-in voice: the audio the gateway sends over a real socket for a vendor offer, in
// Hindi and in English, is speech. Its length grows with the text; it has voiced frames and most of its energy in
// the telephone band (300–3,400 Hz); its frames are not a handful of pure tones (the tones engine's are, which the
// same measures show). The calls are placed through Exotel's stand-in and answered by a caller that hears the offer
// out (to its mark) and keeps what it heard.
import { HttpClientRequest } from "@effect/platform"
import { expect, layer } from "@effect/vitest"
import { Context, Effect, Layer, Option } from "effect"
import { type PromptDetails, promptText } from "../../src/actors/prompts.js"
import {
  type ConnectedCall,
  type ConnectRequest,
  startExotelConnectPeer,
} from "../../src/sim/streamCaller/ExotelConnectPeer.js"
import { toneSpeech } from "../../src/stream/speech/TextToSpeech.js"
import { measureSpeech, type SpeechMeasures } from "../support/speechAnalysis.js"
import { asAdmin } from "../support/testGateway.js"
import { eventually } from "../support/upstream.js"
import { VoiceTestGateway } from "../support/voiceGateway.js"

// The suite's gateways speak tones (vitest.config.ts); this file's speaks with eSpeak NG, the default.
process.env.TTS_ENGINE = "espeak"

class Calls extends Context.Tag("Calls")<Calls, { readonly placed: Array<Promise<ConnectedCall>> }>() {}

const Gateway = Layer.unwrapScoped(
  Effect.gen(function* () {
    const peer = yield* Effect.acquireRelease(
      Effect.promise(() =>
        startExotelConnectPeer((_: ConnectRequest) => ({
          kind: "answer",
          script: { hangupAfterMarks: 1, keepAudio: true, maxMs: 60_000 },
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

interface Offer {
  readonly orderId: number
  readonly vendorPhone: string
  readonly vendorName: string
  readonly orderAmount: number
  readonly itemCount: number
  readonly language: "hi" | "en"
}

const offers: ReadonlyArray<Offer> = [
  {
    orderId: 7,
    vendorPhone: "+919811100001",
    vendorName: "Ravi",
    orderAmount: 90,
    itemCount: 1,
    language: "hi",
  },
  {
    orderId: 987654321,
    vendorPhone: "+919811100002",
    vendorName: "Shree Krishna Sweets and Namkeen Bhandar",
    orderAmount: 98765.5,
    itemCount: 27,
    language: "hi",
  },
  {
    orderId: 7,
    vendorPhone: "+919811100003",
    vendorName: "Ravi",
    orderAmount: 90,
    itemCount: 1,
    language: "en",
  },
  {
    orderId: 987654322,
    vendorPhone: "+919811100004",
    vendorName: "Shree Krishna Sweets and Namkeen Bhandar",
    orderAmount: 98765.5,
    itemCount: 27,
    language: "en",
  },
]

const offerText = (o: Offer) => {
  const details: PromptDetails = {
    recipientName: o.vendorName,
    orderId: o.orderId,
    orderAmount: o.orderAmount,
    itemCount: o.itemCount,
    vendorName: null,
    vendorAddress: null,
  }
  return promptText("vendor_offer", o.language, details)
}

const isSpeech = (m: SpeechMeasures, label: string) => {
  const why = `${label}: ${JSON.stringify(m)}`
  expect(m.soundFrames, why).toBeGreaterThan(50)
  expect(m.voicedFrames / m.soundFrames, why).toBeGreaterThan(0.3)
  expect(m.telephoneBandShare, why).toBeGreaterThan(0.6)
  expect(m.medianTonality, why).toBeLessThan(0.85)
}

layer(Gateway, { timeout: 120_000, excludeTestServices: true })("the built-in voice", (it) => {
  it.effect(
    "speaks a vendor offer in Hindi and in English, longer for more to say, as speech and not as tones",
    () =>
      Effect.gen(function* () {
        const admin = yield* asAdmin
        const { placed } = yield* Calls
        yield* Effect.forEach(
          offers,
          (o, i) =>
            admin
              .execute(
                HttpClientRequest.post("/api/exotel/nerve/vendor/confirm").pipe(
                  HttpClientRequest.bodyUnsafeJson({ ...o, orderId: o.orderId + i, vendorId: 67 + i }),
                ),
              )
              .pipe(Effect.tap((r) => expect(r.status).toBe(200))),
          { concurrency: "unbounded" },
        )
        yield* eventually(
          Effect.sync(() => placed.length),
          (n) => n === offers.length,
          "10 seconds",
        )
        const calls = yield* Effect.promise(() => Promise.all(placed))
        const heard = offers.map((o) => {
          const call = calls.find((c) => c.request.from.endsWith(o.vendorPhone.slice(-10)))
          expect(call?.recording?.closedBy, o.vendorPhone).toBe("caller")
          return { offer: o, measures: measureSpeech(call?.recording?.audio ?? new Uint8Array(), 8000) }
        })
        for (const { offer, measures } of heard) isSpeech(measures, `${offer.language} ${offer.vendorName}`)
        for (const language of ["hi", "en"] as const) {
          const [short, long] = heard.filter((h) => h.offer.language === language)
          expect(short?.measures.seconds ?? 0).toBeGreaterThan(4)
          expect(long?.measures.seconds ?? 0, language).toBeGreaterThan((short?.measures.seconds ?? 0) + 3)
        }
        // The same measures on the tones engine's rendering of an offer: every frame is one pure tone.
        for (const o of offers.slice(0, 1)) {
          const tones = measureSpeech(toneSpeech(offerText(o), 8000), 8000)
          expect(tones.medianTonality).toBeGreaterThan(0.95)
        }
      }),
    90_000,
  )
})
