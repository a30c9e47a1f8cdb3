// SMS under India's DLT rules: the request and response schemas of a send and a bulk send (the endpoints are
// src/http/api/MessagingApi.ts).
import { Schema } from "effect"
import { HttpUrl } from "../domain/HttpUrl.js"
import { PhoneNumber } from "../domain/PhoneNumber.js"
import { SmsSender } from "../domain/SmsSender.js"
import { maxBulkRecipients, smsTypes } from "../policy/sms/dlt.js"

const all = { parseOptions: { errors: "all" } } as const

const SmsType = Schema.Literal(...smsTypes).annotations({
  message: (issue) => ({
    message: `must be one of ${smsTypes.join(", ")}, got ${JSON.stringify(issue.actual)}`,
    override: true,
  }),
})
const DltId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_-]{1,40}$/, { message: () => "must be 1 to 40 letters, digits, _ or -" }),
)
const Body = Schema.String.pipe(
  Schema.minLength(1, { message: () => "must not be empty" }),
  Schema.maxLength(2000, { message: () => "must be at most 2000 characters (Exotel's limit)" }),
)

export const SendSmsRequest = Schema.Struct({
  to: PhoneNumber,
  message: Body,
  from: Schema.optional(SmsSender),
  templateId: Schema.optional(Schema.String.pipe(Schema.maxLength(100))),
  dltTemplateId: Schema.optional(DltId),
  dltEntityId: Schema.optional(DltId),
  smsType: Schema.optionalWith(SmsType, { default: () => "transactional" as const }),
  priority: Schema.optionalWith(Schema.Literal("normal", "high"), { default: () => "normal" as const }),
  customField: Schema.optional(Schema.String.pipe(Schema.maxLength(128))),
  statusCallback: Schema.optional(HttpUrl),
}).annotations({ ...all, identifier: "SendSmsRequest" })

export const SmsAccepted = Schema.Struct({
  id: Schema.String,
  smsSid: Schema.String,
  status: Schema.String,
  encoding: Schema.Literal("GSM-7", "UCS-2"),
  segments: Schema.Number,
}).annotations({ identifier: "SmsAccepted" })

export const BulkSmsRequest = Schema.Struct({
  from: Schema.optional(SmsSender),
  recipients: Schema.Array(PhoneNumber).pipe(
    Schema.minItems(1, { message: () => "must name at least one recipient" }),
    Schema.maxItems(maxBulkRecipients, {
      message: () => `must name at most ${maxBulkRecipients} recipients`,
    }),
  ),
  message: Body,
  smsType: Schema.optionalWith(SmsType, { default: () => "transactional" as const }),
  dltEntityId: Schema.optional(DltId),
  dltTemplateId: Schema.optional(DltId),
  priority: Schema.optionalWith(Schema.Literal("normal", "high"), { default: () => "normal" as const }),
}).annotations({ ...all, identifier: "BulkSmsRequest" })

export const BulkSmsResult = Schema.Struct({
  total: Schema.Number,
  success: Schema.Number,
  failed: Schema.Number,
  bulkId: Schema.String,
  encoding: Schema.Literal("GSM-7", "UCS-2"),
  segments: Schema.Number,
  results: Schema.Array(
    Schema.Struct({
      to: Schema.String,
      smsSid: Schema.NullOr(Schema.String),
      status: Schema.String,
      error: Schema.NullOr(Schema.String),
    }),
  ),
}).annotations({ identifier: "BulkSmsResult" })
