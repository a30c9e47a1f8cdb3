// PCM16LE mono from one rate to another on the gateway's thread, with the Speex resampler (about 15 ms for ten
// seconds of audio): for a recorded prompt, resampled once to each stream rate when it is uploaded.
import initializeResampler from "@echogarden/speex-resampler-wasm"
import { Effect } from "effect"
import { speexResampler } from "./speech/speexResample.mjs"

let loaded: Promise<ReturnType<typeof speexResampler>> | undefined

const resampler = Effect.promise(() => {
  loaded ??= initializeResampler().then(speexResampler)
  return loaded
})

export const resamplePcm = (pcm: Uint8Array, inRate: number, outRate: number) =>
  Effect.map(resampler, (resample) => {
    // A copy, so the samples start on a 2-byte boundary whatever buffer the PCM came in.
    const samples = new Int16Array(pcm.slice(0, pcm.length - (pcm.length % 2)).buffer)
    const out = resample(samples, inRate, outRate)
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
  })
