// SMS under India's DLT rules, and WhatsApp template messages.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { BulkSmsRequest, BulkSmsResult, SendSmsRequest, SmsAccepted } from "../../api/sms.js"
import { WhatsAppAccepted, WhatsAppRequest } from "../../api/whatsapp.js"
import {
  BadRequest,
  Conflict,
  ServiceUnavailable,
  Unprocessable,
  UpstreamRejected,
} from "../../domain/errors.js"
import { Guard, requires } from "../Authentication.js"
import { IdempotencyHeaders } from "../idempotency.js"

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
