// POST /voice-stream/start: registers a session a later voice stream claims with its sessionId parameter, and
// answers the URL (with the session's credential) that stream should dial.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { StreamStarted, StreamStartRequest } from "../../api/voiceStream.js"
import { BadRequest, Conflict, Forbidden, ServiceUnavailable } from "../../domain/errors.js"
import { Guard, requires } from "../Authentication.js"

export const VoiceStreamApi = HttpApiGroup.make("voiceStream")
  .add(
    HttpApiEndpoint.post("start", "/voice-stream/start")
      .annotate(OpenApi.Summary, "Expect a voice stream")
      .setPayload(StreamStartRequest)
      .addSuccess(StreamStarted)
      .addError(BadRequest)
      .addError(Conflict)
      .addError(Forbidden)
      .addError(ServiceUnavailable)
      .pipe(requires("operator")),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Voice streaming")
  .annotate(
    OpenApi.Description,
    "Voice streams that Exotel's Voicebot applet opens to the gateway: a session announced here is " +
      "claimed, once, by the stream that dials its wsUrl (or names its sessionId with the Basic credential), " +
      "and says the flow and the order that stream is about.",
  )
