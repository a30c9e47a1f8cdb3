import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { analyseAcoustics, defaultVad } from "../../../src/policy/cqa/acoustics.js"
import { decodeWav } from "../../../src/policy/cqa/wav.js"
import {
  encodeWav,
  recordingChannels,
  recordingRate,
  recordingWav,
} from "../../../src/sim/exotel/recordings.js"

const rates = [8000, 16000] as const
const pcmOf = (channels: ReadonlyArray<Int16Array>, sampleRate = 8000) => ({ sampleRate, channels })

// Channels of equal length: 0 to 3 s of samples, each either silence, quiet noise or loud.
const channels = fc.integer({ min: 1, max: 2 }).chain((count) =>
  fc.integer({ min: 0, max: 24_000 }).chain((length) =>
    fc.array(fc.array(fc.integer({ min: -32768, max: 32767 }), { minLength: length, maxLength: length }), {
      minLength: count,
      maxLength: count,
    }),
  ),
)

describe("acoustic measures (properties)", () => {
  it("talk and silence add up to the duration, and the longest silence is part of the silence", () =>
    fc.assert(
      fc.property(channels, fc.constantFrom(...rates), (raw, rate) => {
        const m = analyseAcoustics(
          pcmOf(
            raw.map((c) => Int16Array.from(c)),
            rate,
          ),
        )
        expect(m.talkSeconds + m.silenceSeconds).toBeCloseTo(m.durationSeconds, 9)
        expect(m.longestSilenceSeconds).toBeLessThanOrEqual(m.silenceSeconds + 1e-9)
        expect(m.clippingRatio).toBeGreaterThanOrEqual(0)
        expect(m.clippingRatio).toBeLessThanOrEqual(1)
        for (const c of m.perChannel)
          expect(c.talkSeconds + c.silenceSeconds).toBeCloseTo(m.durationSeconds, 9)
        if (m.rmsDbfs !== null && m.peakDbfs !== null)
          expect(m.peakDbfs).toBeGreaterThanOrEqual(m.rmsDbfs - 0.01)
        const segmentTalk = m.talkSegments.reduce((s, g) => s + g.endSeconds - g.startSeconds, 0)
        expect(segmentTalk).toBeCloseTo(m.talkSeconds, 9)
      }),
      { numRuns: 60 },
    ))

  it("zeros are silence from end to end", () =>
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 80_000 }), fc.integer({ min: 1, max: 2 }), (length, count) => {
        const m = analyseAcoustics(pcmOf(Array.from({ length: count }, () => new Int16Array(length))))
        expect(m.talkSeconds).toBe(0)
        expect(m.silenceSeconds).toBeCloseTo(length / 8000, 9)
        expect(m.longestSilenceSeconds).toBeCloseTo(length / 8000, 9)
        expect(m.rmsDbfs).toBeNull()
        expect(m.peakDbfs).toBeNull()
        expect(m.talkSegments).toEqual([])
      }),
      { numRuns: 30 },
    ))

  it("a constant level above the threshold is all talk, at its own level in dBFS", () =>
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40_000 }),
        fc.integer({ min: 1100, max: 32767 }),
        (length, level) => {
          const m = analyseAcoustics(pcmOf([new Int16Array(length).fill(level)]))
          expect(m.silenceSeconds).toBeCloseTo(0, 9)
          expect(m.rmsDbfs).toBeCloseTo(20 * Math.log10(level / 32768), 1)
          expect(m.peakDbfs).toBeCloseTo(20 * Math.log10(level / 32768), 1)
        },
      ),
      { numRuns: 30 },
    ))

  it("a WAV written and read back measures the same", () =>
    fc.assert(
      fc.property(channels, (raw) => {
        const pcm = pcmOf(raw.map((c) => Int16Array.from(c)))
        const read = decodeWav(encodeWav(pcm.channels, pcm.sampleRate))
        expect(read.ok).toBe(true)
        if (read.ok) expect(analyseAcoustics(read.pcm)).toEqual(analyseAcoustics(pcm))
      }),
      { numRuns: 30 },
    ))
})

describe("the simulator's recordings, measured by hand", () => {
  it("uses 20 ms frames and a -40 dBFS threshold", () => {
    expect(defaultVad).toEqual({ frameMillis: 20, thresholdDbfs: -40 })
  })

  it("reads its own WAV: 8 kHz, 16-bit, ten seconds", () => {
    const read = decodeWav(recordingWav("dialogue"))
    expect(read.ok && read.pcm.sampleRate).toBe(recordingRate)
    expect(read.ok && read.pcm.channels.length).toBe(2)
    expect(read.ok && read.pcm.channels[0]?.length).toBe(80_000)
  })

  it("refuses what is not 16-bit PCM WAV, saying why", () => {
    const mp3 = new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    expect(decodeWav(mp3)).toEqual({ ok: false, reason: expect.stringMatching(/not a RIFF\/WAVE/) })
  })

  it("a clipped tone at 40,000 clips where |sin| ≥ 32767/40000 (within 0.01)", () => {
    const m = analyseAcoustics(pcmOf(recordingChannels("clipped")))
    expect(Math.abs(m.clippingRatio - (1 - (2 / Math.PI) * Math.asin(32767 / 40000)))).toBeLessThan(0.01)
  })
})
