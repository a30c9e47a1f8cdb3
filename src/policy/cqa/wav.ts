// Reads a RIFF/WAVE file of 16-bit PCM into one sample array per channel. Pure: bytes in, samples out; anything
// else (MP3, 8-bit, float, a truncated header) is an explained refusal, never a throw.

export interface Pcm {
  readonly sampleRate: number
  /** One array per channel, all the same length. */
  readonly channels: ReadonlyArray<Int16Array>
}

export type WavResult =
  | { readonly ok: true; readonly pcm: Pcm }
  | { readonly ok: false; readonly reason: string }

const ascii = (bytes: Uint8Array, at: number, length: number) =>
  String.fromCharCode(...bytes.subarray(at, at + length))

export const decodeWav = (bytes: Uint8Array): WavResult => {
  if (bytes.length < 12 || ascii(bytes, 0, 4) !== "RIFF" || ascii(bytes, 8, 4) !== "WAVE")
    return { ok: false, reason: "the recording is not a RIFF/WAVE file (MP3 recordings cannot be analysed)" }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let format: { channels: number; sampleRate: number; bits: number; tag: number } | undefined
  let offset = 12
  while (offset + 8 <= bytes.length) {
    const id = ascii(bytes, offset, 4)
    const size = view.getUint32(offset + 4, true)
    const body = offset + 8
    if (id === "fmt " && size >= 16 && body + 16 <= bytes.length) {
      format = {
        tag: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      }
    } else if (id === "data") {
      if (format === undefined) return { ok: false, reason: "the WAVE data chunk comes before its format" }
      // 1 is PCM; 0xFFFE (extensible) carries PCM too when the bit depth is 16.
      if ((format.tag !== 1 && format.tag !== 0xfffe) || format.bits !== 16)
        return {
          ok: false,
          reason: `only 16-bit PCM is analysed, the recording is format ${format.tag} at ${format.bits} bits`,
        }
      if (format.channels < 1 || format.channels > 2 || format.sampleRate < 1)
        return {
          ok: false,
          reason: `only mono or stereo recordings are analysed, this one has ${format.channels} channels`,
        }
      // A streamed WAV may say 0 or 0xFFFFFFFF for its data size: take what is there.
      const available = Math.min(size, bytes.length - body)
      const frames = Math.floor(available / (2 * format.channels))
      const channels = Array.from({ length: format.channels }, () => new Int16Array(frames))
      for (let i = 0; i < frames; i++) {
        for (let c = 0; c < format.channels; c++) {
          const samples = channels[c]
          if (samples !== undefined) samples[i] = view.getInt16(body + (i * format.channels + c) * 2, true)
        }
      }
      return { ok: true, pcm: { sampleRate: format.sampleRate, channels } }
    }
    offset = body + size + (size % 2)
  }
  return { ok: false, reason: "the WAVE file has no data chunk" }
}
