// Reading an uploaded WAV: what is taken (16-bit PCM, mono or stereo, 8–48 kHz, up to 30 s) and what is refused,
// each refusal saying what was wrong; and resampling it once to a stream's rate.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { tones } from "../../src/stream/audio.js"
import { resamplePcm } from "../../src/stream/resample.js"
import { readWav, wavFile } from "../../src/stream/wav.js"

/** A WAV of any format, built field by field. */
const wavOf = (o: { code?: number; channels?: number; rate?: number; bits?: number; dataBytes: number }) => {
  const channels = o.channels ?? 1
  const bits = o.bits ?? 16
  const rate = o.rate ?? 8000
  const file = new Uint8Array(44 + o.dataBytes)
  const v = new DataView(file.buffer)
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) v.setUint8(at + i, s.charCodeAt(i))
  }
  ascii(0, "RIFF")
  v.setUint32(4, 36 + o.dataBytes, true)
  ascii(8, "WAVE")
  ascii(12, "fmt ")
  v.setUint32(16, 16, true)
  v.setUint16(20, o.code ?? 1, true)
  v.setUint16(22, channels, true)
  v.setUint32(24, rate, true)
  v.setUint32(28, (rate * channels * bits) / 8, true)
  v.setUint16(32, (channels * bits) / 8, true)
  v.setUint16(34, bits, true)
  ascii(36, "data")
  v.setUint32(40, o.dataBytes, true)
  return file
}

const refusal = (file: Uint8Array) => Either.getLeft(readWav(file))

describe("an uploaded WAV", () => {
  it("is read back as written: the rate, the samples, the length", () => {
    const pcm = tones([440], 500, 16000)
    const read = readWav(wavFile(pcm, 16000))
    expect(Either.isRight(read)).toBe(true)
    if (Either.isRight(read)) {
      expect(read.right.rate).toBe(16000)
      expect(read.right.seconds).toBeCloseTo(0.5, 3)
      expect([...read.right.pcm]).toEqual([...pcm])
    }
  })

  it("in stereo is made mono, its channels averaged", () => {
    const file = wavOf({ channels: 2, rate: 8000, dataBytes: 8000 * 4 })
    const v = new DataView(file.buffer)
    for (let i = 0; i < 8000; i++) {
      v.setInt16(44 + i * 4, 1000, true)
      v.setInt16(44 + i * 4 + 2, 3000, true)
    }
    const read = readWav(file)
    expect(Either.isRight(read) && new DataView(read.right.pcm.buffer).getInt16(0, true)).toBe(2000)
    expect(Either.isRight(read) && read.right.seconds).toBe(1)
  })

  it.each([
    ["not a WAV at all", new TextEncoder().encode("ID3 this is an mp3"), "not a WAV file"],
    ["a float WAV", wavOf({ code: 3, bits: 32, dataBytes: 32_000 }), "unsupported format: 32-bit float"],
    ["a µ-law WAV", wavOf({ code: 7, bits: 8, dataBytes: 8000 }), "unsupported format: µ-law"],
    ["8-bit PCM", wavOf({ bits: 8, dataBytes: 8000 }), "unsupported format: 8-bit PCM"],
    ["six channels", wavOf({ channels: 6, dataBytes: 96_000 }), "6 channels"],
    ["a 96 kHz WAV", wavOf({ rate: 96_000, dataBytes: 192_000 }), "unsupported sample rate: 96000 Hz"],
    ["31 seconds", wavOf({ rate: 8000, dataBytes: 8000 * 2 * 31 }), "too long: 31.0 s"],
    ["an empty WAV", wavOf({ dataBytes: 0 }), "too short"],
    ["a header cut short", wavOf({ dataBytes: 100 }).subarray(0, 30), "no format chunk"],
  ])("is refused when it is %s, saying so", (_, file, message) => {
    expect(refusal(file)).toEqual(expect.objectContaining({ value: expect.stringContaining(message) }))
  })
})

describe("resampling a prompt", () => {
  it.effect("keeps its length and its pitch at every stream rate", () =>
    Effect.gen(function* () {
      // One second of a 440 Hz tone at 44.1 kHz, a rate no stream has.
      const pcm = new Uint8Array(44_100 * 2)
      const wave = new DataView(pcm.buffer)
      for (let i = 0; i < 44_100; i++)
        wave.setInt16(i * 2, Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 44_100)), true)
      for (const rate of [8000, 16000, 24000]) {
        const out = yield* resamplePcm(pcm, 44_100, rate)
        expect(out.length / 2 / rate).toBeCloseTo(1, 2)
        // Zero crossings of a 440 Hz tone: 880 a second, whatever the rate.
        const v = new DataView(out.buffer, out.byteOffset, out.byteLength)
        let crossings = 0
        for (let i = 1; i < out.length / 2; i++)
          if (v.getInt16((i - 1) * 2, true) < 0 !== v.getInt16(i * 2, true) < 0) crossings++
        expect(Math.abs(crossings - 880)).toBeLessThan(10)
      }
    }),
  )
})
