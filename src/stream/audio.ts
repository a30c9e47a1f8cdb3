// Audio framing for the stream: 16-bit little-endian mono PCM, chunks a multiple of 320 bytes between 3,200
// and 100,000 bytes, the last padded with silence (exotel-protocol.md decision 2).
import type { SampleRate } from "./protocol.js"

export const frameAlign = 320
export const minChunkBytes = 3200
export const maxChunkBytes = 100_000

export const bytesPerSecond = (rate: SampleRate) => rate * 2

/** How long a chunk of PCM plays, in milliseconds. */
export const playMillis = (bytes: number, rate: SampleRate) => (bytes * 1000) / bytesPerSecond(rate)

const roundUp = (n: number, to: number) => Math.ceil(n / to) * to

/**
 * Splits PCM into outbound chunks of `chunkBytes` (itself rounded to the rules), padding the last with zeros
 * so every chunk obeys the size rules: a short final packet makes Exotel pause 20 ms, an audible gap.
 */
export const frameOutbound = (
  pcm: Uint8Array,
  chunkBytes: number = minChunkBytes,
): ReadonlyArray<Uint8Array> => {
  const size = Math.min(maxChunkBytes, Math.max(minChunkBytes, roundUp(chunkBytes, frameAlign)))
  const chunks: Array<Uint8Array> = []
  for (let offset = 0; offset < pcm.length; offset += size) {
    const piece = pcm.subarray(offset, Math.min(pcm.length, offset + size))
    if (piece.length === size) {
      chunks.push(piece)
    } else {
      const padded = new Uint8Array(Math.max(minChunkBytes, roundUp(piece.length, frameAlign)))
      padded.set(piece)
      chunks.push(padded)
    }
  }
  return chunks
}

export const toBase64 = (chunk: Uint8Array) =>
  Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("base64")

export const fromBase64 = (payload: string): Uint8Array => new Uint8Array(Buffer.from(payload, "base64"))

/** PCM of `millis` of silence. */
export const silence = (millis: number, rate: SampleRate) =>
  new Uint8Array(roundUp(Math.round((millis * bytesPerSecond(rate)) / 1000), 2))

/** A sum of sine tones, as PCM, at a level that leaves headroom for two tones (DTMF). */
export const tones = (frequencies: ReadonlyArray<number>, millis: number, rate: SampleRate) => {
  const samples = Math.round((millis * rate) / 1000)
  const pcm = new Uint8Array(samples * 2)
  const view = new DataView(pcm.buffer)
  const amplitude = 8000 / Math.max(1, frequencies.length)
  for (let i = 0; i < samples; i++) {
    let value = 0
    for (const f of frequencies) value += Math.sin((2 * Math.PI * f * i) / rate)
    view.setInt16(i * 2, Math.round(value * amplitude), true)
  }
  return pcm
}

export const concatPcm = (parts: ReadonlyArray<Uint8Array>) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/**
 * PCM with the near-silence at its ends cut off, keeping `marginMillis` of it: a word rendered on its own carries
 * the engine's lead-in and tail, which would leave long gaps when words are joined.
 */
export const trimSilence = (pcm: Uint8Array, rate: SampleRate, marginMillis = 15, threshold = 300) => {
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength & ~1)
  const samples = view.byteLength / 2
  const loud = (i: number) => Math.abs(view.getInt16(i * 2, true)) > threshold
  let first = 0
  while (first < samples && !loud(first)) first++
  if (first === samples) return pcm.subarray(0, 0)
  let last = samples - 1
  while (last > first && !loud(last)) last--
  const margin = Math.round((marginMillis * rate) / 1000)
  return pcm.subarray(Math.max(0, first - margin) * 2, Math.min(samples, last + 1 + margin) * 2)
}
