// WhatsApp template messages: the request and response schemas (the endpoints are src/http/api/MessagingApi.ts).
import { Schema } from "effect"
import { HttpUrl } from "../domain/HttpUrl.js"
import { PhoneNumber } from "../domain/PhoneNumber.js"

const all = { parseOptions: { errors: "all" } } as const

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
