// The simulator's call recordings: real WAV files (16-bit PCM, 8 kHz), synthesised the same way every time so
// tests can compute their measures by hand. Chosen by the last three digits of the destination, like the
// call scenarios (README's scenario table), or by name at /recordings/<name>.wav.

export const recordingNames = ["silence", "tone", "talk", "dialogue", "clipped"] as const
export type RecordingName = (typeof recordingNames)[number]

export const recordingSuffixes: ReadonlyArray<readonly [suffix: string, recording: RecordingName]> = [
  ["981", "silence"],
  ["982", "tone"],
  ["983", "talk"],
  ["984", "dialogue"],
  ["985", "clipped"],
]

export const recordingFor = (destination: string): RecordingName =>
  recordingSuffixes.find(([suffix]) => destination.endsWith(suffix))?.[1] ?? "talk"

export const isRecordingName = (name: string): name is RecordingName =>
  (recordingNames as ReadonlyArray<string>).includes(name)

export const recordingRate = 8000
export const recordingSeconds = 10

type Span = readonly [fromSeconds: number, toSeconds: number]

/**
 * Where each recording talks, in seconds (every edge on the 20 ms grid). `talk` is mono: 5 s of talk, the
 * longest silence 2.5 s at the end. `dialogue` is stereo, caller left and agent right: the agent cuts in at
 * 2.5 s while the caller talks until 3 s (0.5 s of overlap, one interruption by the agent).
 */
export const talkSpans: Record<"talk" | "dialogueCaller" | "dialogueAgent", ReadonlyArray<Span>> = {
  talk: [
    [1, 3],
    [4.5, 7.5],
  ],
  dialogueCaller: [
    [0.5, 3],
    [6, 8],
  ],
  dialogueAgent: [
    [2.5, 5.5],
    [8.5, 9.5],
  ],
}

/** A voiced-like sound: a 140 Hz glottal tone with five falling harmonics, swelling at a syllable rate (4 Hz). */
const voiced = (t: number) => {
  let sum = 0
  for (let k = 1; k <= 5; k++) sum += Math.sin(2 * Math.PI * 140 * k * t) / k
  const envelope = 0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t)
  return Math.round((sum / 2.3) * envelope * 12000)
}

const within = (spans: ReadonlyArray<Span>, t: number) => spans.some(([a, b]) => t >= a && t < b)

const channel = (sample: (t: number) => number) => {
  const out = new Int16Array(recordingRate * recordingSeconds)
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.max(-32768, Math.min(32767, sample(i / recordingRate)))
  }
  return out
}

const spoken = (spans: ReadonlyArray<Span>) => channel((t) => (within(spans, t) ? voiced(t) : 0))

export const recordingChannels = (name: RecordingName): ReadonlyArray<Int16Array> => {
  switch (name) {
    case "silence":
      return [channel(() => 0)]
    case "tone":
      return [channel((t) => Math.round(16384 * Math.sin(2 * Math.PI * 440 * t)))]
    case "talk":
      return [spoken(talkSpans.talk)]
    case "dialogue":
      return [spoken(talkSpans.dialogueCaller), spoken(talkSpans.dialogueAgent)]
    case "clipped":
      return [channel((t) => Math.round(40000 * Math.sin(2 * Math.PI * 440 * t)))]
  }
}

/** A canonical 44-byte-header WAV of interleaved 16-bit little-endian samples. */
export const encodeWav = (channels: ReadonlyArray<Int16Array>, rate: number): Uint8Array => {
  const frames = channels[0]?.length ?? 0
  const dataBytes = frames * channels.length * 2
  const bytes = new Uint8Array(44 + dataBytes)
  const view = new DataView(bytes.buffer)
  const text = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) bytes[at + i] = s.charCodeAt(i)
  }
  text(0, "RIFF")
  view.setUint32(4, 36 + dataBytes, true)
  text(8, "WAVE")
  text(12, "fmt ")
  view.setUint32(16, 16, true)
  view.setUint16(20, 1, true)
  view.setUint16(22, channels.length, true)
  view.setUint32(24, rate, true)
  view.setUint32(28, rate * channels.length * 2, true)
  view.setUint16(32, channels.length * 2, true)
  view.setUint16(34, 16, true)
  text(36, "data")
  view.setUint32(40, dataBytes, true)
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels.length; c++) {
      view.setInt16(44 + (i * channels.length + c) * 2, channels[c]?.[i] ?? 0, true)
    }
  }
  return bytes
}

const cache = new Map<RecordingName, Uint8Array>()

/** The recording's WAV bytes, made once per process. */
export const recordingWav = (name: RecordingName): Uint8Array => {
  const cached = cache.get(name)
  if (cached !== undefined) return cached
  const wav = encodeWav(recordingChannels(name), recordingRate)
  cache.set(name, wav)
  return wav
}
