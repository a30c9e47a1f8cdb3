// Acoustic measures of a call from its PCM alone: talk and silence by an energy voice-activity detector, the
// longest silence, overlap and interruptions between the two channels of a stereo recording, clipping, and
// level in dBFS. Pure and allocation-light: one pass over the samples per channel.
import type { Pcm } from "./wav.js"

/**
 * The detector: 20 ms frames (160 samples at 8 kHz, the stream's own framing); a frame is talk when its RMS
 * is at least -40 dBFS. Telephone line noise sits near -60 dBFS and quiet speech near -30 dBFS, so -40 parts
 * them with margin on either side; the last, shorter frame is judged on its own samples.
 */
export interface VadSettings {
  readonly frameMillis: number
  readonly thresholdDbfs: number
}

export const defaultVad: VadSettings = { frameMillis: 20, thresholdDbfs: -40 }

const fullScale = 32768

export interface TalkSegment {
  readonly startSeconds: number
  readonly endSeconds: number
}

export interface ChannelMeasures {
  readonly talkSeconds: number
  readonly silenceSeconds: number
  readonly longestSilenceSeconds: number
  /** RMS over the whole channel; null for digital silence (every sample zero). */
  readonly rmsDbfs: number | null
  readonly peakDbfs: number | null
  /** The share of samples at full scale (|s| ≥ 32767). */
  readonly clippingRatio: number
  /** Stereo only: how often this channel started talking while the other was already talking. */
  readonly interruptions: number | null
}

export interface AcousticMeasures extends ChannelMeasures {
  readonly durationSeconds: number
  readonly sampleRate: number
  readonly channelCount: number
  readonly vad: VadSettings
  /** Talk on any channel, merged; at most `maxSegments`, the rest counted in `segmentsLeftOut`. */
  readonly talkSegments: ReadonlyArray<TalkSegment>
  readonly segmentsLeftOut: number
  /** Stereo only: seconds in which both channels talk at once. */
  readonly overlapSeconds: number | null
  readonly perChannel: ReadonlyArray<ChannelMeasures>
}

export const maxSegments = 200

const dbfs = (amplitude: number): number | null =>
  amplitude <= 0 ? null : Math.round(2000 * Math.log10(amplitude / fullScale)) / 100

/** One boolean per frame: is it talk? */
export const voicedFrames = (
  samples: Int16Array,
  frameSamples: number,
  thresholdDbfs: number,
): Uint8Array => {
  const floor = (10 ** (thresholdDbfs / 20) * fullScale) ** 2
  const frames = new Uint8Array(Math.ceil(samples.length / frameSamples))
  for (let f = 0; f < frames.length; f++) {
    const start = f * frameSamples
    const end = Math.min(samples.length, start + frameSamples)
    let energy = 0
    for (let i = start; i < end; i++) {
      const s = samples[i] ?? 0
      energy += s * s
    }
    frames[f] = energy / (end - start) >= floor ? 1 : 0
  }
  return frames
}

interface FrameGrid {
  readonly frameSamples: number
  readonly totalSamples: number
  readonly rate: number
}

const frameLength = (grid: FrameGrid, f: number) =>
  Math.min(grid.frameSamples, grid.totalSamples - f * grid.frameSamples)

const talkAndSilence = (voiced: Uint8Array, grid: FrameGrid) => {
  let talk = 0
  let run = 0
  let longest = 0
  for (let f = 0; f < voiced.length; f++) {
    const n = frameLength(grid, f)
    if (voiced[f] === 1) {
      talk += n
      run = 0
    } else {
      run += n
      longest = Math.max(longest, run)
    }
  }
  return {
    talkSeconds: talk / grid.rate,
    silenceSeconds: (grid.totalSamples - talk) / grid.rate,
    longestSilenceSeconds: longest / grid.rate,
  }
}

const levels = (samples: Int16Array) => {
  let energy = 0
  let peak = 0
  let clipped = 0
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] ?? 0
    energy += s * s
    const a = Math.abs(s)
    if (a > peak) peak = a
    if (a >= 32767) clipped += 1
  }
  return { energy, peak, clipped }
}

const segmentsOf = (voiced: Uint8Array, grid: FrameGrid): Array<TalkSegment> => {
  const segments: Array<TalkSegment> = []
  let start = -1
  for (let f = 0; f <= voiced.length; f++) {
    if (f < voiced.length && voiced[f] === 1) {
      if (start < 0) start = f
    } else if (start >= 0) {
      segments.push({
        startSeconds: (start * grid.frameSamples) / grid.rate,
        endSeconds: Math.min(grid.totalSamples, f * grid.frameSamples) / grid.rate,
      })
      start = -1
    }
  }
  return segments
}

/** Onsets of `mine` (talk after silence, or at the start) in frames where `theirs` was already talking. */
const interruptionsBy = (mine: Uint8Array, theirs: Uint8Array) => {
  let count = 0
  for (let f = 1; f < mine.length; f++) {
    if (mine[f] === 1 && mine[f - 1] === 0 && theirs[f] === 1 && theirs[f - 1] === 1) count += 1
  }
  return count
}

export const analyseAcoustics = (pcm: Pcm, vad: VadSettings = defaultVad): AcousticMeasures => {
  const rate = pcm.sampleRate
  const totalSamples = pcm.channels[0]?.length ?? 0
  const grid: FrameGrid = {
    frameSamples: Math.max(1, Math.round((rate * vad.frameMillis) / 1000)),
    totalSamples,
    rate,
  }
  const voiced = pcm.channels.map((c) => voicedFrames(c, grid.frameSamples, vad.thresholdDbfs))
  const stereo = voiced.length === 2
  const [left, right] = voiced
  const perChannel = pcm.channels.map((samples, c): ChannelMeasures => {
    const level = levels(samples)
    const own = voiced[c] ?? new Uint8Array(0)
    const other = voiced[1 - c]
    return {
      ...talkAndSilence(own, grid),
      rmsDbfs: samples.length === 0 ? null : dbfs(Math.sqrt(level.energy / samples.length)),
      peakDbfs: dbfs(level.peak),
      clippingRatio: samples.length === 0 ? 0 : level.clipped / samples.length,
      interruptions: stereo && other !== undefined ? interruptionsBy(own, other) : null,
    }
  })
  const anyTalk = new Uint8Array(left?.length ?? 0)
  let overlapSamples = 0
  for (let f = 0; f < anyTalk.length; f++) {
    anyTalk[f] = voiced.some((v) => v[f] === 1) ? 1 : 0
    if (stereo && left?.[f] === 1 && right?.[f] === 1) overlapSamples += frameLength(grid, f)
  }
  const all = pcm.channels.map(levels)
  const sampleCount = totalSamples * pcm.channels.length
  const energy = all.reduce((sum, l) => sum + l.energy, 0)
  const segments = segmentsOf(anyTalk, grid)
  return {
    durationSeconds: totalSamples / rate,
    sampleRate: rate,
    channelCount: pcm.channels.length,
    vad,
    ...talkAndSilence(anyTalk, grid),
    rmsDbfs: sampleCount === 0 ? null : dbfs(Math.sqrt(energy / sampleCount)),
    peakDbfs: dbfs(Math.max(0, ...all.map((l) => l.peak))),
    clippingRatio: sampleCount === 0 ? 0 : all.reduce((sum, l) => sum + l.clipped, 0) / sampleCount,
    interruptions: stereo ? perChannel.reduce((sum, c) => sum + (c.interruptions ?? 0), 0) : null,
    talkSegments: segments.slice(0, maxSegments),
    segmentsLeftOut: Math.max(0, segments.length - maxSegments),
    overlapSeconds: stereo ? overlapSamples / rate : null,
    perChannel,
  }
}
