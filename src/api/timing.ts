// GET /timing/check: may we call or text now, and if not, when?
// The request and response schemas; the endpoints are src/http/api/TimingApi.ts.
import { Schema } from "effect"
import { CallPurpose } from "../domain/CallPurpose.js"
import { Channel } from "../domain/Timing.js"

export const TimingDecisionView = Schema.Struct({
  canCall: Schema.Boolean,
  canSms: Schema.Boolean,
  canPromoSms: Schema.Boolean,
  reason: Schema.NullOr(Schema.String),
  nextAvailableTime: Schema.NullOr(Schema.String),
  currentTime: Schema.String,
  timezone: Schema.String,
}).annotations({ identifier: "TimingDecision" })

/** What to check: a call's purpose and the channel (a call or an SMS). */
export const TimingCheckQuery = Schema.Struct({
  purpose: Schema.optional(CallPurpose),
  channel: Schema.optional(Channel),
}).annotations({
  parseOptions: { errors: "all" },
})
