// Inbound Exotel status callbacks. No bearer token (Exotel cannot send one): each callback URL carries the
// per-request token the gateway put in it, and a callback without the right token is refused.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { CallbackAck, CallbackToken } from "../../api/webhooks.js"
import { BadRequest, Forbidden } from "../../domain/errors.js"
import { WhatsAppStatusCallback } from "../../domain/exotel/whatsAppStatus.js"
import { CallStatusCallback, SmsStatusCallback } from "../../domain/exotel/wire.js"
import { takesMultipart } from "../multipartCallbacks.js"

export const WebhooksApi = HttpApiGroup.make("webhooks")
  .add(
    HttpApiEndpoint.post("callStatus", "/webhooks/exotel/call-status")
      .annotate(OpenApi.Summary, "Receive Exotel's call status")
      .setUrlParams(CallbackToken)
      .setPayload(CallStatusCallback)
      .addSuccess(CallbackAck)
      .addError(BadRequest)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Exotel's voice StatusCallback, form-encoded, multipart or JSON.")
      .pipe(takesMultipart),
  )
  .add(
    HttpApiEndpoint.post("smsStatus", "/webhooks/exotel/sms-status")
      .annotate(OpenApi.Summary, "Receive Exotel's SMS status")
      .setUrlParams(CallbackToken)
      .setPayload(SmsStatusCallback)
      .addSuccess(CallbackAck)
      .addError(BadRequest)
      .addError(Forbidden)
      .annotate(OpenApi.Description, "Exotel's SMS StatusCallback, form-encoded, multipart or JSON.")
      .pipe(takesMultipart),
  )
  .add(
    HttpApiEndpoint.post("whatsAppStatus", "/webhooks/exotel/whatsapp-status")
      .annotate(OpenApi.Summary, "Receive a WhatsApp delivery report")
      .setUrlParams(CallbackToken)
      .setPayload(WhatsAppStatusCallback)
      .addSuccess(CallbackAck)
      .addError(BadRequest)
      .addError(Forbidden)
      .annotate(
        OpenApi.Description,
        "Exotel's WhatsApp delivery report (sent, delivered, seen, failed), flat or nested under whatsapp.messages.",
      )
      .pipe(takesMultipart),
  )
  .annotate(OpenApi.Title, "Exotel webhooks")
  .annotate(
    OpenApi.Description,
    "Status callbacks Exotel sends for the calls, SMS and WhatsApp messages it carried. Called by " +
      "Exotel, not by clients.",
  )
