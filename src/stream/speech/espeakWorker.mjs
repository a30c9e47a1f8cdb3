// @ts-check
// One speech thread: eSpeak NG (compiled to JavaScript) and the Speex resampler. eSpeak blocks its thread for the
// whole of a synthesis, so it never runs on the gateway's thread; the parent (EspeakPool.ts) keeps a few of these
// and sends each one request at a time. Plain JavaScript, so that Node loads it as it is under the bundle, tsx
// and the test runner alike; the engine's API is declared in echogarden.d.ts.
//
// workerData: { warmUp: Sentence[] }. The thread loads the engine, speaks the warm-up sentences (the engine's
// first calls in a language are ten times slower than the rest), then answers { type: "ready", ms }.
// Each request { type: "speak", id, sentences, sampleRate } is answered { type: "spoken", id, parts, ms } (each
// sentence's PCM16LE mono at sampleRate, moved, not copied) or { type: "failed", id, message }.
import { parentPort, workerData } from "node:worker_threads"
import initializeEspeak from "@echogarden/espeak-ng-emscripten"
import initializeResampler from "@echogarden/speex-resampler-wasm"
import { speexResampler } from "./speexResample.mjs"

/** @typedef {{ readonly text: string, readonly voice: string, readonly rate: number }} Sentence */

const engineRate = 22_050

const started = performance.now()
const espeak = new (await initializeEspeak()).eSpeakNGWorker()
const resample = speexResampler(await initializeResampler())

/**
 * Voice, rate, pitch and range are the engine's global state: set for every sentence, never assumed.
 * @param {Sentence} sentence
 * @returns {Int16Array}
 */
const synthesize = (sentence) => {
  espeak.set_voice(sentence.voice)
  espeak.set_rate(sentence.rate)
  espeak.set_pitch(50)
  espeak.set_range(50)
  /** @type {Int16Array[]} */
  const chunks = []
  espeak.synthesize(sentence.text, (samples) => {
    if (samples !== null && samples.length > 0) chunks.push(samples.slice())
  })
  const all = new Int16Array(chunks.reduce((n, c) => n + c.length, 0))
  let offset = 0
  for (const chunk of chunks) {
    all.set(chunk, offset)
    offset += chunk.length
  }
  return all
}

/**
 * Each sentence's PCM, in order. The wire wants PCM16 little-endian, an Int16Array's own byte order on the
 * machines Node runs on here.
 * @param {ReadonlyArray<Sentence>} sentences
 * @param {number} sampleRate
 * @returns {ArrayBuffer[]}
 */
const speak = (sentences, sampleRate) =>
  // A copy of each, so the buffer moved to the parent is the sentence's alone.
  sentences.map((s) => new Int16Array(resample(synthesize(s), engineRate, sampleRate)).buffer)

const port = parentPort
if (port === null) throw new Error("espeakWorker.mjs runs as a worker thread")

/** @type {{ warmUp: ReadonlyArray<Sentence> }} */
const { warmUp } = workerData
for (let round = 0; round < 3; round++) for (const rate of [8000, 16000]) speak(warmUp, rate)
port.postMessage({ type: "ready", ms: performance.now() - started })

port.on(
  "message",
  (/** @type {{ type: "speak", id: number, sentences: Sentence[], sampleRate: number }} */ m) => {
    const begun = performance.now()
    try {
      const parts = speak(m.sentences, m.sampleRate)
      port.postMessage({ type: "spoken", id: m.id, parts, ms: performance.now() - begun }, parts)
    } catch (error) {
      port.postMessage({
        type: "failed",
        id: m.id,
        message: String(error instanceof Error ? error.stack : error),
      })
    }
  },
)
