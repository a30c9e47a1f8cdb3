// The barge-in detector hears a caller talking (the engine's own speech, in Hindi and in English) and not the
// line's noise: hiss, mains hum, a rumble, a beep, a keypad tone, silence.
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { makeEspeakPool } from "../../src/stream/speech/EspeakPool.js"
import { sentencesOf } from "../../src/stream/speech/espeakText.js"
import { makeVoiceActivity } from "../../src/stream/voiceActivity.js"

const rate = 8000

const pcmOf = (seconds: number, at: (i: number) => number) => {
  const pcm = new Uint8Array(Math.round(rate * seconds) * 2)
  const v = new DataView(pcm.buffer)
  for (let i = 0; i < pcm.length / 2; i++)
    v.setInt16(i * 2, Math.max(-32768, Math.min(32767, Math.round(at(i)))), true)
  return pcm
}

// A fixed-seed generator, so a failure is the same on every run.
const noise = () => {
  // xorshift32: exact in 32-bit integer arithmetic, so the sequence is the generator's and not a float's.
  let s = 12345
  return () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return (s >>> 0) / 2 ** 31 - 1
  }
}

/** When (in ms) the detector first hears talking, fed 100 ms chunks as Exotel sends them; null for never. */
const onsetMs = (pcm: Uint8Array) => {
  const vad = makeVoiceActivity(rate)
  for (let at = 0; at < pcm.length; at += 1600)
    if (vad.feed(pcm.subarray(at, at + 1600))) return (at / 1600) * 100
  return null
}

const sine = (hz: number, level: number) => (i: number) => level * Math.sin((2 * Math.PI * hz * i) / rate)

describe("voice activity", () => {
  it.scoped("hears the engine's speech in both languages within 600 ms of its start", () =>
    Effect.gen(function* () {
      const pool = yield* makeEspeakPool({ threads: 1, warmUp: [] })
      for (const [language, text] of [
        ["en", "Hello, I want to change my order please."],
        ["hi", "नमस्ते, मुझे अपना ऑर्डर बदलना है।"],
      ] as const) {
        const { pcm } = yield* pool.speak(sentencesOf(text, language), rate)
        // Some of the line's hiss before the caller speaks, and under the speech.
        const hiss = noise()
        const lead = pcmOf(1, () => 150 * hiss())
        const both = new Uint8Array(lead.length + pcm.length)
        both.set(lead)
        both.set(pcm, lead.length)
        const at = onsetMs(both)
        expect(at, language).not.toBeNull()
        expect(at ?? 0).toBeGreaterThanOrEqual(1000)
        expect(at ?? 0).toBeLessThan(1600)
      }
    }),
  )

  it.each([
    ["silence", () => 0],
    [
      "loud hiss",
      (() => {
        const r = noise()
        return () => 6000 * r()
      })(),
    ],
    [
      "mains hum (50 Hz and its harmonics)",
      (i: number) => sine(50, 6000)(i) + sine(100, 3000)(i) + sine(150, 1500)(i),
    ],
    [
      "a rumble (integrated noise)",
      (() => {
        const r = noise()
        let y = 0
        return () => (y = 0.995 * y + 300 * r())
      })(),
    ],
    ["the simulator's 220 Hz tone", sine(220, 8000)],
    ["a 440 Hz beep", sine(440, 8000)],
    ["a 1 kHz test tone", sine(1000, 8000)],
  ])("is not fooled by %s", (_, at) => {
    expect(onsetMs(pcmOf(5, at))).toBeNull()
  })

  it("hears a caller once per utterance, and again after a pause", () => {
    const voice = (i: number) => {
      // A buzzy vowel: a 120 Hz pitch with harmonics shaped by two formants.
      let y = 0
      for (let h = 1; h <= 25; h++) {
        const f = 120 * h
        const gain = Math.exp(-(((f - 700) / 250) ** 2)) + 0.6 * Math.exp(-(((f - 1200) / 300) ** 2))
        y += 4000 * gain * Math.sin((2 * Math.PI * f * i) / rate)
      }
      return y
    }
    const pcm = pcmOf(2, voice)
    const vad = makeVoiceActivity(rate)
    const heard = (chunk: Uint8Array) => {
      let any = false
      for (let at = 0; at < chunk.length; at += 1600) any = vad.feed(chunk.subarray(at, at + 1600)) || any
      return any
    }
    expect(heard(pcm)).toBe(true)
    // Talking on is the same utterance; after 400 ms of silence it still is; after 600 ms it is a new one.
    expect(heard(pcm)).toBe(false)
    expect(heard(pcmOf(0.4, () => 0))).toBe(false)
    expect(heard(pcm)).toBe(false)
    expect(heard(pcmOf(0.6, () => 0))).toBe(false)
    expect(heard(pcm)).toBe(true)
  })
})
