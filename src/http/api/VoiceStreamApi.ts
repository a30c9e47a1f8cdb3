// POST /voice-stream/start: registers a session a later voice stream claims with its sessionId parameter, and
// answers the URL (with the session's credential) that stream should dial.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { BadRequest, Conflict, Forbidden, ServiceUnavailable } from "../../domain/errors.js"
import { PhoneNumber } from "../../domain/PhoneNumber.js"
import { OrderSessionId } from "../../domain/VoiceOrder.js"
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
  /** The order a vendor or rider flow is about; required for those flows, since the stream cannot name one. */
  orderId: Schema.optional(Schema.Int.pipe(Schema.positive())),
  /** The voice-order session a voice_ordering stream reads back; by default the one named sessionId. */
  orderSessionId: Schema.optional(OrderSessionId),
}).annotations({ identifier: "VoiceStreamStart", parseOptions: { errors: "all" } })

export const StreamStarted = Schema.Struct({
  sessionId: Schema.String,
  /**
   * The URL to give Exotel's Voicebot applet: the sessionId and its credential are its two custom parameters.
   * A stream that dials it needs no Basic credential.
   */
  wsUrl: Schema.String,
  status: Schema.Literal("pending"),
})

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
