// @ts-check
// The Speex resampler (WASM) over PCM16: shared by the speech threads (22,050 Hz speech to the stream's rate) and
// the gateway's thread (a recorded prompt, resampled once when it is uploaded). Plain JavaScript, so that a
// speech thread loads it as it is; its types come from echogarden.d.ts.

const quality = 5

/**
 * @param {import("@echogarden/speex-resampler-wasm").SpeexResamplerModule} speex
 * @returns {(samples: Int16Array, inRate: number, outRate: number) => Int16Array}
 */
export const speexResampler = (speex) => {
  /** @type {Map<string, number>} one resampler state per pair of rates, kept for the module's life */
  const states = new Map()

  /** @param {number} inRate @param {number} outRate */
  const stateFor = (inRate, outRate) => {
    const key = `${inRate}:${outRate}`
    const known = states.get(key)
    if (known !== undefined) return known
    const err = speex._malloc(4)
    const state = speex._speex_resampler_init(1, inRate, outRate, quality, err)
    const code = speex.HEAP32[err >> 2]
    speex._free(err)
    if (code !== 0 || state === 0)
      throw new Error(`the resampler did not start for ${inRate} to ${outRate} Hz (${code})`)
    states.set(key, state)
    return state
  }

  // The whole signal at once, then the filter's delay flushed with zeros, so the end of the audio is kept.
  return (samples, inRate, outRate) => {
    if (outRate === inRate) return samples
    const state = stateFor(inRate, outRate)
    speex._speex_resampler_reset_mem(state)
    const inLatency = speex._speex_resampler_get_input_latency(state)
    const outLatency = speex._speex_resampler_get_output_latency(state)
    const inCount = samples.length + inLatency
    const wanted = Math.floor((samples.length * outRate) / inRate)
    const outCount = wanted + outLatency + 2
    const input = speex._malloc(inCount * 2)
    const output = speex._malloc(outCount * 2)
    const counts = speex._malloc(8)
    try {
      speex.HEAP16.fill(0, input >> 1, (input >> 1) + inCount)
      speex.HEAP16.set(samples, input >> 1)
      speex.HEAP32[counts >> 2] = inCount
      speex.HEAP32[(counts >> 2) + 1] = outCount
      const code = speex._speex_resampler_process_int(state, 0, input, counts, output, counts + 4)
      if (code !== 0) throw new Error(`the resampler failed (code ${code})`)
      const produced = speex.HEAP32[(counts >> 2) + 1] ?? 0
      const start = (output >> 1) + Math.min(outLatency, produced)
      return speex.HEAP16.slice(start, start + Math.min(wanted, Math.max(0, produced - outLatency)))
    } finally {
      speex._free(input)
      speex._free(output)
      speex._free(counts)
    }
  }
}
