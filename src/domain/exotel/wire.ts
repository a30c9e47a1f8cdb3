// Exotel's wire formats as Schemas: the JSON it answers, the callbacks it posts, and its error shape. Shared by
// the client (which decodes them) and the simulator (which encodes them), so the two cannot drift apart.
// Decoding is liberal (extra keys ignored, numbers as numbers or strings); see shared/exotel-protocol.md.
import { Schema } from "effect"

const NullableString = Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null })
/** Exotel sends some counts as numbers and others, for the same field, as strings. */
export const NumberLike = Schema.Union(Schema.Number, Schema.NumberFromString)

export const CallStatus = Schema.Literal(
  "queued",
  "ringing",
  "in-progress",
  "completed",
  "failed",
  "busy",
  "no-answer",
  "canceled",
)
export type CallStatus = typeof CallStatus.Type

/** `{"Call": {...}}`, from Calls/connect.json and Calls/<sid>.json. */
export const CallResource = Schema.Struct({
  Call: Schema.Struct({
    Sid: Schema.String,
    Status: CallStatus,
    From: NullableString,
    To: NullableString,
    PhoneNumberSid: NullableString,
    Direction: NullableString,
    DateCreated: NullableString,
    StartTime: NullableString,
    EndTime: NullableString,
    Duration: Schema.optionalWith(Schema.NullOr(NumberLike), { default: () => null }),
    RecordingUrl: NullableString,
  }),
})
export type CallResource = typeof CallResource.Type

/** `{"Calls": [...]}`, from the bulk call details resource Calls.json (its Metadata is not read). */
export const CallList = Schema.Struct({ Calls: Schema.Array(CallResource.fields.Call) })

export const SmsStatus = Schema.Literal("queued", "sending", "submitted", "sent", "failed_dnd", "failed")
export type SmsStatus = typeof SmsStatus.Type

export const SmsMessage = Schema.Struct({
  Sid: Schema.String,
  Status: SmsStatus,
  To: Schema.String,
  From: NullableString,
  DetailedStatus: NullableString,
  DetailedStatusCode: Schema.optionalWith(Schema.NullOr(NumberLike), { default: () => null }),
  SmsUnits: Schema.optionalWith(Schema.NullOr(NumberLike), { default: () => null }),
})

/** `{"SMSMessage": {...}}`, from Sms/send.json. */
export const SmsResource = Schema.Struct({ SMSMessage: SmsMessage })
export type SmsResource = typeof SmsResource.Type

export const RestExceptionBody = Schema.Struct({
  Status: NumberLike,
  Message: Schema.String,
  Code: Schema.optional(Schema.NullOr(Schema.Union(Schema.Number, Schema.String))),
})
export const RestException = Schema.Struct({ RestException: RestExceptionBody })
export type RestException = typeof RestException.Type

/**
 * Sms/bulksend.json: one entry per message, in order. Neither portal's shape is confirmed by real output
 * (protocol notes §2.5), so each entry is read as any of them: `{"SMSMessage":…}` or `{"RestException":…}`
 * (what the simulator answers), or the message itself unwrapped, `{Sid, Status, To}` (S-DEVNEW).
 */
export const BulkSmsResource = Schema.Struct({
  SMSMessages: Schema.Array(Schema.Union(SmsResource, RestException, SmsMessage)),
})
export type BulkSmsResource = typeof BulkSmsResource.Type

/** v2 messages (WhatsApp), HTTP 202. */
export const WhatsAppResponse = Schema.Struct({
  request_id: Schema.String,
  http_code: Schema.Number,
  metadata: Schema.Struct({ total: Schema.Number, success: Schema.Number, failed: Schema.Number }),
  response: Schema.Struct({
    whatsapp: Schema.Struct({
      messages: Schema.Array(
        Schema.Struct({
          code: Schema.Number,
          status: Schema.String,
          data: Schema.optional(Schema.NullOr(Schema.Struct({ sid: Schema.String }))),
          error_data: Schema.optional(Schema.Unknown),
        }),
      ),
    }),
  }),
})
export type WhatsAppResponse = typeof WhatsAppResponse.Type

/** GreenVN (number masking) envelope; the VN key is spelled both `greenvn` and `green_vn`. */
export const GreenVnAllocation = Schema.Struct({
  connection_id: Schema.String,
  greenvn: Schema.optional(Schema.String),
  green_vn: Schema.optional(Schema.String),
  greenvn_id: Schema.String,
  state: Schema.String,
})
export const GreenVnEnvelope = Schema.Struct({
  success: Schema.Boolean,
  status: Schema.Number,
  code: Schema.optional(Schema.NullOr(Schema.Union(Schema.Number, Schema.String))),
  message: Schema.optional(Schema.NullOr(Schema.String)),
  data: Schema.NullOr(GreenVnAllocation),
})
export type GreenVnEnvelope = typeof GreenVnEnvelope.Type

/**
 * The voice StatusCallback, form-encoded, multipart or JSON (StatusCallbackContentType): text from a form,
 * text, numbers or null from JSON, so every optional field may be null.
 */
export const CallStatusCallback = Schema.Struct({
  CallSid: Schema.String,
  Status: Schema.String,
  EventType: Schema.optional(Schema.NullOr(Schema.String)),
  RecordingUrl: Schema.optional(Schema.NullOr(Schema.String)),
  DateUpdated: Schema.optional(Schema.NullOr(Schema.String)),
  ConversationDuration: Schema.optional(Schema.NullOr(Schema.Union(Schema.Number, Schema.String))),
  CustomField: Schema.optional(Schema.NullOr(Schema.String)),
})
export type CallStatusCallback = typeof CallStatusCallback.Type

/** The SMS StatusCallback (legacy shape, the better-sourced one), in the same encodings as a call's. */
export const SmsStatusCallback = Schema.Struct({
  SmsSid: Schema.String,
  Status: Schema.String,
  To: Schema.optional(Schema.NullOr(Schema.String)),
  SmsUnits: Schema.optional(Schema.NullOr(Schema.Union(Schema.Number, Schema.String))),
  DetailedStatus: Schema.optional(Schema.NullOr(Schema.String)),
  DetailedStatusCode: Schema.optional(Schema.NullOr(Schema.Union(Schema.Number, Schema.String))),
  DateSent: Schema.optional(Schema.NullOr(Schema.String)),
  CustomField: Schema.optional(Schema.NullOr(Schema.String)),
})
export type SmsStatusCallback = typeof SmsStatusCallback.Type

/** Exotel's v1 timestamps: "YYYY-MM-DD HH:mm:ss", IST, no zone. */
export const exotelTimestamp = (epochMs: number): string =>
  new Date(epochMs + 330 * 60_000).toISOString().slice(0, 19).replace("T", " ")
