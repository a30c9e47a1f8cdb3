// The caller's audio of one live stream, kept for call quality analysis when the stream asks to be recorded:
// inbound PCM appended as it arrives, up to a cap, so a long or endless stream never grows memory past it.

/** Ten minutes at 8 kHz (9.6 MB at 16 kHz would be five): beyond that the analysis keeps the start. */
export const maxCapturedSeconds = 600

export interface CallAudioBuffer {
  /** Adds one media message's base64 payload; past the cap it is dropped and the buffer says so. */
  readonly append: (base64: string) => void
  readonly pcm: () => Uint8Array
  readonly truncated: () => boolean
}

export const callAudioBuffer = (rate: number, seconds: number = maxCapturedSeconds): CallAudioBuffer => {
  const cap = rate * 2 * seconds
  let bytes = new Uint8Array(Math.min(cap, rate * 2 * 10))
  let length = 0
  let dropped = false
  return {
    append: (base64) => {
      const chunk = Buffer.from(base64, "base64")
      const room = cap - length
      if (chunk.length > room) dropped = true
      const take = Math.min(room, chunk.length)
      if (take <= 0) return
      if (length + take > bytes.length) {
        const grown = new Uint8Array(Math.min(cap, Math.max(length + take, bytes.length * 2)))
        grown.set(bytes.subarray(0, length))
        bytes = grown
      }
      bytes.set(chunk.subarray(0, take), length)
      length += take
    },
    // An odd byte would split a sample: the PCM handed on is whole samples.
    pcm: () => bytes.slice(0, length - (length % 2)),
    truncated: () => dropped,
  }
}
