// SMS under India's DLT rules, and WhatsApp template messages.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import {
  BadRequest,
  Conflict,
  ServiceUnavailable,
  Unprocessable,
  UpstreamRejected,
} from "../../domain/errors.js"
import { HttpUrl } from "../../domain/HttpUrl.js"
import { PhoneNumber } from "../../domain/PhoneNumber.js"
import { SmsSender } from "../../domain/SmsSender.js"
import { maxBulkRecipients, smsTypes } from "../../policy/sms/dlt.js"
import { Guard, requires } from "../Authentication.js"
import { IdempotencyHeaders } from "../idempotency.js"

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

export const WhatsAppRequest = Schema.Struct({
  to: PhoneNumber,
  templateName: Schema.String.pipe(
    Schema.pattern(/^[a-z0-9_]{1,100}$/, {
      message: () => "must be a template name of lowercase letters, digits and _",
    }),
  ),
  variables: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.String }), {
    default: () => ({}),
  }),
  languageCode: Schema.optionalWith(
    Schema.String.pipe(
      Schema.pattern(/^[a-z]{2}(_[A-Z]{2})?$/, {
        message: () => 'must be a language code such as "en" or "hi"',
      }),
    ),
    { default: () => "en" },
  ),
  /** Where each delivery report (sent, delivered, seen, failed) is forwarded. */
  statusCallback: Schema.optional(HttpUrl),
}).annotations({ ...all, identifier: "WhatsAppRequest" })

export const WhatsAppAccepted = Schema.Struct({
  id: Schema.String,
  sid: Schema.String,
  status: Schema.String,
}).annotations({ identifier: "WhatsAppAccepted" })

export const MessagingApi = HttpApiGroup.make("messaging")
  .add(
    HttpApiEndpoint.post("sendSms", "/sms/send")
      .annotate(OpenApi.Summary, "Send an SMS")
      .setPayload(SendSmsRequest)
      .setHeaders(IdempotencyHeaders)
      .addSuccess(SmsAccepted)
      .addError(BadRequest)
      .addError(Conflict)
      .addError(Unprocessable)
      .addError(UpstreamRejected)
      .addError(ServiceUnavailable)
      .pipe(requires("operator"))
      .annotate(
        OpenApi.Description,
        "One SMS. Transactional and promotional SMS need the DLT entity (request or setting) and template ids; " +
          "promotional SMS outside the promotional window is refused with 422 and `nextAvailableTime`.",
      ),
  )
  .add(
    HttpApiEndpoint.post("bulkSms", "/sms/bulk")
      .annotate(OpenApi.Summary, "Send one SMS to many recipients")
      .setPayload(BulkSmsRequest)
      .setHeaders(IdempotencyHeaders)
      .addSuccess(BulkSmsResult)
      .addError(BadRequest)
      .addError(Conflict)
      .addError(Unprocessable)
      .addError(UpstreamRejected)
      .addError(ServiceUnavailable)
      .pipe(requires("operator"))
      .annotate(OpenApi.Description, "One body to at most 100 recipients, with a result per recipient."),
  )
  .add(
    HttpApiEndpoint.post("sendWhatsApp", "/whatsapp/send")
      .annotate(OpenApi.Summary, "Send a WhatsApp template message")
      .setPayload(WhatsAppRequest)
      .setHeaders(IdempotencyHeaders)
      .addSuccess(WhatsAppAccepted)
      .addError(BadRequest)
      .addError(Conflict)
      .addError(Unprocessable)
      .addError(UpstreamRejected)
      .addError(ServiceUnavailable)
      .pipe(requires("operator"))
      .annotate(
        OpenApi.Description,
        "A WhatsApp template message; `variables` fill the template body's parameters in the order given.",
      ),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Messaging")
  .annotate(
    OpenApi.Description,
    "SMS under India's DLT rules, one at a time or in bulk, and WhatsApp template messages.",
  )
