// Measures that tell speech from tones, on PCM16LE mono: where the energy lies (the telephone band), which frames
// are voiced (loud and periodic at a voice's pitch), and how tonal each frame is (the share of its energy in its
// few strongest spectral peaks: a pure tone puts nearly all of it in one, a voice spreads it over many harmonics
// and formants).

const samplesOf = (pcm: Uint8Array): Float64Array => {
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength)
  const out = new Float64Array(Math.floor(pcm.length / 2))
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true) / 32768
  return out
}

/** |X[k]|² for k in 0..n/2 of a Hann-windowed frame (n a power of two), by an iterative radix-2 FFT. */
const powerSpectrum = (frame: Float64Array): Float64Array => {
  const n = frame.length
  const re = new Float64Array(n)
  const im = new Float64Array(n)
  for (let i = 0; i < n; i++) re[i] = (frame[i] ?? 0) * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)))
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1
    for (; j & bit; bit >>= 1) j ^= bit
    j ^= bit
    if (i < j) {
      const [a, b] = [re[i] ?? 0, re[j] ?? 0]
      re[i] = b
      re[j] = a
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const step = (-2 * Math.PI) / size
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < size / 2; k++) {
        const wr = Math.cos(step * k)
        const wi = Math.sin(step * k)
        const a = start + k
        const b = a + size / 2
        const tr = wr * (re[b] ?? 0) - wi * (im[b] ?? 0)
        const ti = wr * (im[b] ?? 0) + wi * (re[b] ?? 0)
        re[b] = (re[a] ?? 0) - tr
        im[b] = (im[a] ?? 0) - ti
        re[a] = (re[a] ?? 0) + tr
        im[a] = (im[a] ?? 0) + ti
      }
    }
  }
  const power = new Float64Array(n / 2 + 1)
  for (let k = 0; k <= n / 2; k++) power[k] = (re[k] ?? 0) ** 2 + (im[k] ?? 0) ** 2
  return power
}

/** The share of a frame's energy in its `peaks` strongest peaks, each counted with its two neighbouring bins. */
const peakShare = (power: Float64Array, peaks: number) => {
  const total = power.reduce((a, b) => a + b, 0)
  if (total === 0) return 0
  const taken = new Uint8Array(power.length)
  let inPeaks = 0
  for (let p = 0; p < peaks; p++) {
    let best = -1
    for (let k = 0; k < power.length; k++)
      if (!taken[k] && (best < 0 || (power[k] ?? 0) > (power[best] ?? 0))) best = k
    for (let k = Math.max(0, best - 1); k <= Math.min(power.length - 1, best + 1); k++) {
      if (!taken[k]) inPeaks += power[k] ?? 0
      taken[k] = 1
    }
  }
  return inPeaks / total
}

/** The normalised autocorrelation's peak over lags of a voice's pitch (70–400 Hz). */
const periodicity = (frame: Float64Array, rate: number) => {
  const energy = frame.reduce((a, x) => a + x * x, 0)
  if (energy === 0) return 0
  let best = 0
  for (let lag = Math.floor(rate / 400); lag <= Math.ceil(rate / 70) && lag < frame.length; lag++) {
    let sum = 0
    for (let i = 0; i + lag < frame.length; i++) sum += (frame[i] ?? 0) * (frame[i + lag] ?? 0)
    best = Math.max(best, sum / energy)
  }
  return best
}

const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length === 0 ? 0 : (sorted[Math.floor(sorted.length / 2)] ?? 0)
}

export interface SpeechMeasures {
  readonly seconds: number
  /** Frames loud enough to carry sound (above a twentieth of the loudest frame's RMS). */
  readonly soundFrames: number
  /** Sound frames that are periodic at a voice's pitch. */
  readonly voicedFrames: number
  /** The share of all energy between 300 and 3,400 Hz. */
  readonly telephoneBandShare: number
  /** The median, over sound frames, of the share of a frame's energy in its three strongest peaks. */
  readonly medianTonality: number
}

/** Measures PCM16LE mono at `rate` in frames of 32 ms (256 samples at 8 kHz). */
export const measureSpeech = (pcm: Uint8Array, rate: number): SpeechMeasures => {
  const samples = samplesOf(pcm)
  const n = 2 ** Math.round(Math.log2(rate * 0.032))
  const frames: Array<Float64Array> = []
  for (let start = 0; start + n <= samples.length; start += n) frames.push(samples.subarray(start, start + n))
  const rms = frames.map((f) => Math.sqrt(f.reduce((a, x) => a + x * x, 0) / n))
  const loudest = Math.max(0, ...rms)
  const sound = frames.filter((_, i) => (rms[i] ?? 0) > loudest / 20)
  let band = 0
  let total = 0
  const tonality: Array<number> = []
  let voiced = 0
  for (const frame of sound) {
    const power = powerSpectrum(frame)
    for (let k = 0; k < power.length; k++) {
      const hz = (k * rate) / n
      total += power[k] ?? 0
      if (hz >= 300 && hz <= 3400) band += power[k] ?? 0
    }
    tonality.push(peakShare(power, 3))
    if (periodicity(frame, rate) > 0.5) voiced++
  }
  return {
    seconds: samples.length / rate,
    soundFrames: sound.length,
    voicedFrames: voiced,
    telephoneBandShare: total === 0 ? 0 : band / total,
    medianTonality: median(tonality),
  }
}
