// POST /voice-stream/start: registers a session a later voice stream claims with its sessionId parameter, and
// answers the URL (with the session's credential) that stream should dial.
// The request and response schemas; the endpoints are src/http/api/VoiceStreamApi.ts.
import { Schema } from "effect"
import { PhoneNumber } from "../domain/PhoneNumber.js"
import { OrderSessionId } from "../domain/VoiceOrder.js"

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
