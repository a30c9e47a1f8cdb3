// eSpeak NG on its speech threads: real speech at every stream rate, in both languages, off the test's thread.
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Context, Effect, Layer, Metric, Stream } from "effect"
import { concatPcm } from "../../src/stream/audio.js"
import { makeEspeakPool } from "../../src/stream/speech/EspeakPool.js"
import { sentencesOf } from "../../src/stream/speech/espeakText.js"
import {
  speechPrompts,
  speechQueueWait,
  speechSentences,
  TextToSpeech,
  textToSpeechEspeak,
} from "../../src/stream/speech/TextToSpeech.js"

const seconds = (pcm: Uint8Array, rate: number) => pcm.length / 2 / rate

const rms = (pcm: Uint8Array) => {
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength)
  let sum = 0
  for (let i = 0; i + 1 < pcm.length; i += 2) sum += view.getInt16(i, true) ** 2
  return Math.sqrt(sum / Math.max(1, pcm.length / 2))
}

describe("the eSpeak NG pool", () => {
  it.scoped(
    "speaks both languages at 8, 16 and 24 kHz, the same length at each rate, and longer for longer text",
    () =>
      Effect.gen(function* () {
        const pool = yield* makeEspeakPool({ threads: 1, warmUp: sentencesOf("Hello.", "en") })
        const warm = yield* pool.ready
        expect(warm).toHaveLength(1)
        for (const [language, short, long] of [
          [
            "en",
            "New order.",
            "New order of four hundred and fifty rupees. Press one to accept, two to reject.",
          ],
          ["hi", "नया ऑर्डर।", "चार सौ पचास रुपये का नया ऑर्डर। स्वीकार करने के लिए एक दबाएँ, मना करने के लिए दो।"],
        ] as const) {
          const lengths: Array<number> = []
          for (const rate of [8000, 16000, 24000]) {
            const { pcm } = yield* pool.speak(sentencesOf(long, language), rate)
            expect(rms(pcm)).toBeGreaterThan(500)
            lengths.push(seconds(pcm, rate))
          }
          const [at8 = 0, ...others] = lengths
          // The engine itself varies by a few milliseconds per sentence from one call to the next.
          for (const other of others) expect(Math.abs(other - at8)).toBeLessThan(0.06)
          const { pcm: shortPcm } = yield* pool.speak(sentencesOf(short, language), 8000)
          expect(seconds(shortPcm, 8000)).toBeGreaterThan(0.3)
          expect(at8).toBeGreaterThan(seconds(shortPcm, 8000) * 3)
        }
        expect(pool.stats().synthesisMsPerSentence).toBeGreaterThan(0)
      }),
    30_000,
  )

  it.scoped("reads markup in a name as words, never as SSML", () =>
    Effect.gen(function* () {
      const pool = yield* makeEspeakPool({ threads: 1, warmUp: [] })
      const { pcm: plain } = yield* pool.speak(sentencesOf("Hello Ram and Shyam.", "en"), 8000)
      const { pcm: marked } = yield* pool.speak(
        sentencesOf(`Hello Ram <break time="3s"/> & Shyam.`, "en"),
        8000,
      )
      // A break read as markup would add three seconds of silence; read as text it adds a few words.
      expect(seconds(marked, 8000) - seconds(plain, 8000)).toBeLessThan(2.5)
      expect(seconds(marked, 8000)).toBeGreaterThan(seconds(plain, 8000))
    }),
  )

  it.scoped("answers requests made at once, each in full, with two threads", () =>
    Effect.gen(function* () {
      const pool = yield* makeEspeakPool({ threads: 2, warmUp: [] })
      const texts = ["One.", "One two three.", "One two three four five six.", "Seven."]
      const spoken = yield* Effect.forEach(
        texts,
        (t) => Effect.map(pool.speak(sentencesOf(t, "en"), 8000), (s) => s.pcm),
        {
          concurrency: "unbounded",
        },
      )
      expect(spoken.map((pcm) => seconds(pcm, 8000) > 0.2)).toEqual([true, true, true, true])
      expect(seconds(spoken[2] ?? new Uint8Array(), 8000)).toBeGreaterThan(
        seconds(spoken[0] ?? new Uint8Array(), 8000),
      )
      expect(pool.stats().requests).toBe(4)
    }),
  )
})

describe("the eSpeak NG text-to-speech layer", () => {
  const staticPrompts = [
    { text: "Thank you, the order is confirmed.", language: "en" },
    { text: "धन्यवाद, ऑर्डर पक्का हो गया।", language: "hi" },
  ] as const

  it.scoped("renders the static prompts at start and answers them from its cache, at each rate apart", () =>
    Effect.gen(function* () {
      const tts = Context.get(
        yield* Layer.build(textToSpeechEspeak({ threads: 1, staticPrompts, prerenderRates: [8000] })),
        TextToSpeech,
      )
      const fromCache = Metric.value(Metric.tagged(speechPrompts, "source", "cache"))
      const cachedBefore = (yield* fromCache).count
      const first = yield* tts.synthesize(staticPrompts[1].text, "hi", 8000)
      const again = yield* tts.synthesize(staticPrompts[1].text, "hi", 8000)
      expect(again).toEqual(first)
      const wide = yield* tts.synthesize(staticPrompts[1].text, "hi", 16000)
      expect(wide.length).toBeGreaterThan(first.length * 1.9)
      expect(yield* tts.synthesize(staticPrompts[1].text, "hi", 16000)).toEqual(wide)
      const offer = "Hello Ramesh. New order of four hundred and fifty rupees."
      const dynamic = yield* tts.synthesize(offer, "en", 8000)
      expect(dynamic.length / 2 / 8000).toBeGreaterThan(2)
      expect(yield* tts.synthesize(offer, "en", 8000)).toEqual(dynamic)
      // At least the two repeats and the repeated offer; the first ask hits too once the start's rendering is done.
      expect((yield* fromCache).count - cachedBefore).toBeGreaterThanOrEqual(3)
      const waits = yield* Metric.value(speechQueueWait)
      expect(waits.count).toBeGreaterThan(0)
      // Another offer: only its first sentence is new; the second, the same words, comes from the cache.
      const requestsBefore = (yield* Metric.value(speechQueueWait)).count
      const sentences = (source: "cache" | "engine") =>
        Effect.map(Metric.value(Metric.tagged(speechSentences, "source", source)), (c) => c.count)
      const [spokenBefore, keptBefore] = [yield* sentences("engine"), yield* sentences("cache")]
      const other = yield* tts.synthesize(
        "Hello Suresh. New order of four hundred and fifty rupees.",
        "en",
        8000,
      )
      expect((yield* Metric.value(speechQueueWait)).count - requestsBefore).toBe(1)
      expect([(yield* sentences("engine")) - spokenBefore, (yield* sentences("cache")) - keptBefore]).toEqual(
        [1, 1],
      )
      expect(other.subarray(other.length - 1000)).toEqual(dynamic.subarray(dynamic.length - 1000))
      // Sentence by sentence: each piece as it is spoken, together the prompt itself, then kept like it.
      const streamed = "Hello Mahesh. New order of nine rupees."
      const pieces = Chunk.toReadonlyArray(
        yield* Stream.runCollect(tts.synthesizeSentences?.(streamed, "en", 8000) ?? Stream.empty),
      )
      expect(pieces.length).toBe(2)
      expect(pieces.every((p) => seconds(p, 8000) > 0.5)).toBe(true)
      expect(concatPcm(pieces)).toEqual(yield* tts.synthesize(streamed, "en", 8000))
    }),
  )
})
