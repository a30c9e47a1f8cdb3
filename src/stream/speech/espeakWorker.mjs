// @ts-check
// One speech thread: eSpeak NG (compiled to JavaScript) and the Speex resampler. eSpeak blocks its thread for the
// whole of a synthesis, so it never runs on the gateway's thread; the parent (EspeakPool.ts) keeps a few of these
// and sends each one request at a time. Plain JavaScript, so that Node loads it as it is under the bundle, tsx
// and the test runner alike; the engine's API is declared in echogarden.d.ts.
//
// workerData: { warmUp: Sentence[] }. The thread loads the engine, speaks the warm-up sentences (the engine's
// first calls in a language are ten times slower than the rest), then answers { type: "ready", ms }.
// Each request { type: "speak", id, sentences, sampleRate } is answered { type: "spoken", id, pcm, ms } (PCM16LE
// mono at sampleRate, moved, not copied) or { type: "failed", id, message }.
import { parentPort, workerData } from "node:worker_threads"
import initializeEspeak from "@echogarden/espeak-ng-emscripten"
import initializeResampler from "@echogarden/speex-resampler-wasm"

/** @typedef {{ readonly text: string, readonly voice: string, readonly rate: number }} Sentence */

const engineRate = 22_050
const resampleQuality = 5

const started = performance.now()
const espeak = new (await initializeEspeak()).eSpeakNGWorker()
const speex = await initializeResampler()

/** @type {Map<number, number>} one resampler state per output rate, kept for the thread's life */
const resamplers = new Map()

/** @param {number} outRate */
const resamplerFor = (outRate) => {
  const known = resamplers.get(outRate)
  if (known !== undefined) return known
  const err = speex._malloc(4)
  const state = speex._speex_resampler_init(1, engineRate, outRate, resampleQuality, err)
  const code = speex.HEAP32[err >> 2]
  speex._free(err)
  if (code !== 0 || state === 0)
    throw new Error(`the resampler did not start for ${outRate} Hz (code ${code})`)
  resamplers.set(outRate, state)
  return state
}

/**
 * 22,050 Hz samples to `outRate`, flushing the filter's delay so the end of the speech is kept.
 * @param {Int16Array} samples
 * @param {number} outRate
 * @returns {Int16Array}
 */
const resample = (samples, outRate) => {
  if (outRate === engineRate) return samples
  const state = resamplerFor(outRate)
  speex._speex_resampler_reset_mem(state)
  const inLatency = speex._speex_resampler_get_input_latency(state)
  const outLatency = speex._speex_resampler_get_output_latency(state)
  const inCount = samples.length + inLatency
  const wanted = Math.floor((samples.length * outRate) / engineRate)
  const outCount = wanted + outLatency + 2
  const input = speex._malloc(inCount * 2)
  const output = speex._malloc(outCount * 2)
  const counts = speex._malloc(8)
  try {
    speex.HEAP16.fill(0, input >> 1, (input >> 1) + inCount)
    speex.HEAP16.set(samples, input >> 1)
    speex.HEAP32[counts >> 2] = inCount
    speex.HEAP32[(counts >> 2) + 1] = outCount
    const code = speex._speex_resampler_process_int(state, 0, input, counts, output, counts + 4)
    if (code !== 0) throw new Error(`the resampler failed (code ${code})`)
    const produced = speex.HEAP32[(counts >> 2) + 1] ?? 0
    const start = (output >> 1) + Math.min(outLatency, produced)
    return speex.HEAP16.slice(start, start + Math.min(wanted, Math.max(0, produced - outLatency)))
  } finally {
    speex._free(input)
    speex._free(output)
    speex._free(counts)
  }
}

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
 * @param {ReadonlyArray<Sentence>} sentences
 * @param {number} sampleRate
 */
const speak = (sentences, sampleRate) => {
  const parts = sentences.map((s) => resample(synthesize(s), sampleRate))
  const pcm = new Int16Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const part of parts) {
    pcm.set(part, offset)
    offset += part.length
  }
  // The wire wants PCM16 little-endian, which is an Int16Array's own byte order on the machines Node runs on here.
  return pcm.buffer
}

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
      const pcm = speak(m.sentences, m.sampleRate)
      port.postMessage({ type: "spoken", id: m.id, pcm, ms: performance.now() - begun }, [pcm])
    } catch (error) {
      port.postMessage({
        type: "failed",
        id: m.id,
        message: String(error instanceof Error ? error.stack : error),
      })
    }
  },
)
