// POST /voice-stream/start: registers a session a later voice stream claims with its sessionId parameter.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { Conflict, ServiceUnavailable } from "../../domain/errors.js"
import { PhoneNumber } from "../../domain/PhoneNumber.js"
import { Guard, requires } from "../Authentication.js"

export const StreamStartRequest = Schema.Struct({
  sessionId: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9._-]{1,100}$/)),
  phone: PhoneNumber,
  language: Schema.optionalWith(Schema.String, { default: () => "hi-IN" }),
  /** The seed's field: where the caller's app listens. Kept for the record; our own endpoint serves the stream. */
  wsEndpoint: Schema.optional(Schema.String),
  flow: Schema.optionalWith(
    Schema.Literal(
      "line_test",
      "vendor_confirmation",
      "vendor_prep_time",
      "rider_assignment",
      "rider_pickup_ready",
      "voice_ordering",
    ),
    { default: () => "line_test" as const },
  ),
}).annotations({ identifier: "VoiceStreamStart", parseOptions: { errors: "all" } })

export const StreamStarted = Schema.Struct({
  sessionId: Schema.String,
  /** The URL to give Exotel's Voicebot applet; the sessionId is its custom parameter. */
  wsUrl: Schema.String,
  status: Schema.Literal("pending"),
})

export const VoiceStreamApi = HttpApiGroup.make("voiceStream")
  .add(
    HttpApiEndpoint.post("start", "/voice-stream/start")
      .annotate(OpenApi.Summary, "Expect a voice stream")
      .setPayload(StreamStartRequest)
      .addSuccess(StreamStarted)
      .addError(Conflict)
      .addError(ServiceUnavailable)
      .pipe(requires("operator")),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Voice streaming")
  .annotate(
    OpenApi.Description,
    "Voice streams that Exotel's Voicebot applet opens to the gateway: a session announced here is " +
      "claimed by the stream that names its sessionId.",
  )
