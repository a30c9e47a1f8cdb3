// A RIFF/WAVE file of PCM16LE mono: the 44-byte header and the samples, as any player opens it.
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
