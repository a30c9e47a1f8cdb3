// Is the caller talking? A voice-activity detector for barge-in, on the inbound PCM16LE mono, frame by frame
// (32 ms): a frame is voice when it stands well above the line's own noise floor, is periodic at a voice's pitch
// (70–400 Hz), carries its energy above the hum band and is not one pure tone; the caller is talking once 160 ms
// in 192 ms are voice. Hiss is loud but not periodic, mains hum periodic but low, a beep one tone: none of them is a
// caller. Pure state, fed as the audio arrives.

export interface VoiceActivity {
  /** Feeds more audio; true when the caller starts talking: once per utterance, again after a pause. */
  readonly feed: (pcm: Uint8Array) => boolean
}

/** Frames with no voice that end an utterance: 16 × 32 ms, about half a second. */
export const pauseFrames = 16

/** The caller is talking once this many of the last `onsetWindow` frames are voice: 4 of 6, within 192 ms. */
export const onsetFrames = 4
export const onsetWindow = 6

const frameMillis = 32

export const makeVoiceActivity = (rate: number): VoiceActivity => {
  const n = Math.round((rate * frameMillis) / 1000)
  const frame = new Float64Array(n)
  const minLag = Math.floor(rate / 400)
  const maxLag = Math.ceil(rate / 70)
  let filled = 0
  // The last frames' verdicts, one bit each, newest lowest.
  let recent = 0
  let spoke = false
  let quiet = 0
  // The line's noise floor: the quietest recent frame's RMS, let rise slowly so it follows the line.
  let floor = 100
  let pending = 0
  let pendingByte = 0

  const isVoice = (): boolean => {
    let energy = 0
    let diffEnergy = 0
    let secondDiffEnergy = 0
    for (let i = 0; i < n; i++) {
      const x = frame[i] ?? 0
      energy += x * x
      if (i > 0) diffEnergy += (x - (frame[i - 1] ?? 0)) ** 2
      if (i > 1) secondDiffEnergy += (x - 2 * (frame[i - 1] ?? 0) + (frame[i - 2] ?? 0)) ** 2
    }
    const rms = Math.sqrt(energy / n)
    floor = Math.min(floor * 1.002, Math.max(rms, 20))
    // Loud: well above the floor and above a level no caller speaks below (about -50 dBFS).
    if (rms < Math.max(floor * 3, 100)) return false
    // Above the hum band: the first difference keeps about 4·sin²(πf/rate) of a tone's energy (0.05 at 300 Hz
    // on an 8 kHz line, 0.006 at 100 Hz).
    const slope = diffEnergy / energy
    if (slope < 0.03) return false
    // One pure tone keeps the same share through each difference; a voice's many harmonics do not.
    if (Math.abs(secondDiffEnergy / diffEnergy / slope - 1) < 0.15) return false
    // The pitch is a peak of the autocorrelation after it has first dipped below zero: a smooth rumble, whose
    // autocorrelation only decays, has none.
    let best = 0
    let dipped = false
    for (let lag = 1; lag <= maxLag && lag < n; lag++) {
      let sum = 0
      for (let i = 0; i + lag < n; i++) sum += (frame[i] ?? 0) * (frame[i + lag] ?? 0)
      if (sum < 0) dipped = true
      // Scaled for the overlap's length, so a long pitch period is not judged by fewer samples.
      const similarity = (sum / energy) * (n / (n - lag))
      if (dipped && lag >= minLag && similarity > best) best = similarity
    }
    return best > 0.5
  }

  const sample = (value: number) => {
    frame[filled++] = value
    if (filled < n) return
    filled = 0
    const voice = isVoice()
    recent = ((recent << 1) | (voice ? 1 : 0)) & ((1 << onsetWindow) - 1)
    quiet = voice ? 0 : quiet + 1
    if (quiet >= pauseFrames) spoke = false
    let voiced = 0
    for (let bits = recent; bits !== 0; bits &= bits - 1) voiced++
    if (voiced >= onsetFrames && !spoke) {
      spoke = true
      pending++
    }
  }

  return {
    feed: (pcm) => {
      const before = pending
      let i = 0
      if (pendingByte !== 0 && pcm.length > 0) {
        const low = pendingByte - 1
        sample(((((pcm[0] ?? 0) << 8) | low) << 16) >> 16)
        pendingByte = 0
        i = 1
      }
      for (; i + 1 < pcm.length; i += 2) sample(((((pcm[i + 1] ?? 0) << 8) | (pcm[i] ?? 0)) << 16) >> 16)
      if (i < pcm.length) pendingByte = (pcm[i] ?? 0) + 1
      return pending > before
    },
  }
}
