// Calls through Exotel: click-to-call, verified (branded) calls, the call log and recordings.
// The request and response schemas; the endpoints are src/http/api/CallsApi.ts.
import { Schema } from "effect"
import { CallPurpose } from "../domain/CallPurpose.js"
import { ExoPhone } from "../domain/ExoPhone.js"
import { HttpUrl } from "../domain/HttpUrl.js"
import { PhoneNumber } from "../domain/PhoneNumber.js"

const all = { parseOptions: { errors: "all" } } as const

const CustomField = Schema.String.pipe(
  Schema.maxLength(128, { message: () => "must be at most 128 characters" }),
)

export const ClickToCallRequest = Schema.Struct({
  agentPhone: PhoneNumber,
  customerPhone: PhoneNumber,
  callerId: Schema.optional(ExoPhone),
  timeLimit: Schema.optional(
    Schema.Int.pipe(
      Schema.between(1, 14_400, { message: () => "must be a whole number of seconds from 1 to 14400" }),
    ),
  ),
  recordCall: Schema.optional(Schema.Boolean),
  customField: Schema.optional(CustomField),
  statusCallback: Schema.optional(HttpUrl),
  /** Not in the seed: a promotional purpose makes the call keep to the promotional window. */
  purpose: Schema.optional(CallPurpose),
}).annotations({ ...all, identifier: "ClickToCallRequest" })

export const CallInitiated = Schema.Struct({
  callSid: Schema.String,
  status: Schema.String,
}).annotations({ identifier: "CallInitiated" })

export const VerifiedCallRequest = Schema.Struct({
  phone: PhoneNumber,
  reason: Schema.String.pipe(
    Schema.minLength(1, { message: () => "must not be empty" }),
    Schema.maxLength(100),
  ),
  orderId: Schema.optional(Schema.String.pipe(Schema.maxLength(100))),
  priority: Schema.optional(Schema.Literal("low", "normal", "high")),
  purpose: Schema.optional(CallPurpose),
}).annotations({ ...all, identifier: "VerifiedCallRequest" })

export const VerifiedCallInitiated = Schema.Struct({
  callSid: Schema.String,
  status: Schema.String,
  verifiedExoPhone: Schema.String,
  reason: Schema.String,
}).annotations({ identifier: "VerifiedCallInitiated" })

/** What a scheduled or campaign call's spoken script came to, once the call has ended. */
export const ScriptOutcome = Schema.Struct({
  purpose: Schema.String,
  endedBy: Schema.Literal("gateway", "callee"),
  rating: Schema.NullOr(Schema.Number),
  keys: Schema.String,
}).annotations({ identifier: "ScriptOutcome" })

export const CallView = Schema.Struct({
  id: Schema.String,
  callSid: Schema.NullOr(Schema.String),
  kind: Schema.String,
  direction: Schema.Literal("inbound", "outbound"),
  status: Schema.String,
  from: Schema.String,
  to: Schema.NullOr(Schema.String),
  callerId: Schema.NullOr(Schema.String),
  purpose: Schema.NullOr(Schema.String),
  reason: Schema.NullOr(Schema.String),
  orderId: Schema.NullOr(Schema.String),
  customField: Schema.NullOr(Schema.String),
  recordingUrl: Schema.NullOr(Schema.String),
  durationSeconds: Schema.NullOr(Schema.Number),
  error: Schema.NullOr(Schema.String),
  createdAt: Schema.String,
  updatedAt: Schema.String,
  endedAt: Schema.NullOr(Schema.String),
  script: Schema.optional(ScriptOutcome),
}).annotations({ identifier: "Call" })

const PositiveInt = (max: number, field: string) =>
  Schema.NumberFromString.pipe(
    Schema.filter((n) => Number.isInteger(n) && n >= 1 && n <= max, {
      message: (issue) =>
        `${field} must be a whole number from 1 to ${max}, got ${JSON.stringify(issue.actual)}`,
    }),
  )

const IsoDateTime = Schema.Date.annotations({
  message: (issue) => ({
    message: `must be an ISO 8601 date, got ${JSON.stringify(issue.actual)}`,
    override: true,
  }),
})

export const CallListParams = Schema.Struct({
  page: Schema.optional(PositiveInt(1_000_000, "page")),
  limit: Schema.optional(PositiveInt(100, "limit")),
  status: Schema.optional(Schema.String),
  direction: Schema.optional(Schema.Literal("inbound", "outbound")),
  from: Schema.optional(IsoDateTime),
  to: Schema.optional(IsoDateTime),
  phone: Schema.optional(PhoneNumber),
}).annotations(all)

export const CallPage = Schema.Struct({
  calls: Schema.Array(CallView),
  page: Schema.Number,
  limit: Schema.Number,
  total: Schema.Number,
  hasMore: Schema.Boolean,
}).annotations({ identifier: "CallPage" })

export const Recording = Schema.Struct({
  callSid: Schema.String,
  recordingUrl: Schema.String,
}).annotations({ identifier: "Recording" })
