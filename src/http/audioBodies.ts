// Endpoints whose body is an audio file, not JSON (a recorded prompt's WAV): the inbound checks take audio/wav
// (or octet-stream) there and leave the file to the endpoint, which says what is wrong with it.
import { Context } from "effect"

export class TakesAudio extends Context.Tag("TakesAudio")<TakesAudio, boolean>() {}

/** A Content-Type that names a WAV file, or bytes of no declared kind. */
export const isAudioType = (contentType: string | undefined) => {
  const type = (contentType ?? "").toLowerCase().split(";")[0]?.trim() ?? ""
  return ["audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", "application/octet-stream"].includes(
    type,
  )
}
