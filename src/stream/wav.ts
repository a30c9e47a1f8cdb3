// RIFF/WAVE files of PCM: written as PCM16LE mono (the stream's own format), and read from an upload with every
// reason it cannot be used said plainly (not a WAV, a format other than PCM, too long). Pure.
import { Either } from "effect"

export const wavFile = (pcm: Uint8Array, rate: number): Uint8Array => {
  const file = new Uint8Array(44 + pcm.length)
  const view = new DataView(file.buffer)
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i))
  }
  ascii(0, "RIFF")
  view.setUint32(4, 36 + pcm.length, true)
  ascii(8, "WAVE")
  ascii(12, "fmt ")
  view.setUint32(16, 16, true)
  view.setUint16(20, 1, true) // PCM
  view.setUint16(22, 1, true) // mono
  view.setUint32(24, rate, true)
  view.setUint32(28, rate * 2, true) // bytes per second
  view.setUint16(32, 2, true) // bytes per frame
  view.setUint16(34, 16, true) // bits per sample
  ascii(36, "data")
  view.setUint32(40, pcm.length, true)
  file.set(pcm, 44)
  return file
}

export interface WavAudio {
  readonly rate: number
  /** PCM16LE mono: a stereo file's channels averaged. */
  readonly pcm: Uint8Array
  readonly seconds: number
}

export const wavLimits = { minRate: 8000, maxRate: 48_000, maxSeconds: 30, minSeconds: 0.1 } as const

const formatNames: Record<number, string> = {
  3: "32-bit float",
  6: "A-law",
  7: "µ-law",
  85: "MP3",
  65534: "extensible",
}

/** Reads an uploaded WAV: 16-bit PCM, mono or stereo, 8–48 kHz, 0.1–30 s. A refusal says what was wrong. */
export const readWav = (file: Uint8Array): Either.Either<WavAudio, string> => {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength)
  const ascii = (at: number) =>
    at + 4 <= file.length ? String.fromCharCode(...file.subarray(at, at + 4)) : ""
  if (ascii(0) !== "RIFF" || ascii(8) !== "WAVE")
    return Either.left("not a WAV file: it has no RIFF/WAVE header")
  let format: { code: number; channels: number; rate: number; bits: number } | undefined
  let data: Uint8Array | undefined
  for (let at = 12; at + 8 <= file.length; ) {
    const id = ascii(at)
    const size = view.getUint32(at + 4, true)
    const body = file.subarray(at + 8, Math.min(file.length, at + 8 + size))
    if (id === "fmt " && body.length >= 16) {
      const fmt = new DataView(body.buffer, body.byteOffset, body.byteLength)
      format = {
        code: fmt.getUint16(0, true),
        channels: fmt.getUint16(2, true),
        rate: fmt.getUint32(4, true),
        bits: fmt.getUint16(14, true),
      }
    } else if (id === "data") {
      data = body
      break
    }
    at += 8 + size + (size % 2)
  }
  if (format === undefined) return Either.left("not a usable WAV file: it has no format chunk")
  if (data === undefined) return Either.left("not a usable WAV file: it has no data chunk")
  if (format.code !== 1)
    return Either.left(
      `unsupported format: ${formatNames[format.code] ?? `format ${format.code}`}; upload 16-bit PCM`,
    )
  if (format.bits !== 16) return Either.left(`unsupported format: ${format.bits}-bit PCM; upload 16-bit PCM`)
  if (format.channels !== 1 && format.channels !== 2)
    return Either.left(`unsupported format: ${format.channels} channels; upload mono or stereo`)
  if (format.rate < wavLimits.minRate || format.rate > wavLimits.maxRate)
    return Either.left(`unsupported sample rate: ${format.rate} Hz; upload 8,000 to 48,000 Hz`)
  const frames = Math.floor(data.length / (2 * format.channels))
  const seconds = frames / format.rate
  if (seconds > wavLimits.maxSeconds)
    return Either.left(`too long: ${seconds.toFixed(1)} s; a prompt is at most ${wavLimits.maxSeconds} s`)
  if (seconds < wavLimits.minSeconds) return Either.left(`too short: ${seconds.toFixed(2)} s of audio`)
  const samples = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const pcm = new Uint8Array(frames * 2)
  const out = new DataView(pcm.buffer)
  for (let i = 0; i < frames; i++) {
    let sum = 0
    for (let c = 0; c < format.channels; c++) sum += samples.getInt16((i * format.channels + c) * 2, true)
    out.setInt16(i * 2, Math.round(sum / format.channels), true)
  }
  return Either.right({ rate: format.rate, pcm, seconds })
}
