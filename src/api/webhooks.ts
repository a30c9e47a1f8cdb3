// Inbound Exotel status callbacks. No bearer token (Exotel cannot send one): each callback URL carries the
// per-request token the gateway put in it, and a callback without the right token is refused.
// The request and response schemas; the endpoints are src/http/api/WebhooksApi.ts.
import { Schema } from "effect"

export const CallbackToken = Schema.Struct({
  token: Schema.String.pipe(Schema.minLength(1, { message: () => "is required" })),
})

export const CallbackAck = Schema.Struct({
  received: Schema.Boolean,
  /** False when this status was already recorded: a repeat changes nothing. */
  changed: Schema.Boolean,
}).annotations({ identifier: "CallbackAck" })
