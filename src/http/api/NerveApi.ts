// The seed's Nerve endpoints: start vendor and rider calls, read them by order, stats, retry — and, in a
// group without the bearer guard, the callbacks: Nerve's (HMAC-signed) and Exotel's status callback for the
// calls the gateway places itself.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import {
  CallbackReceived,
  CallStarted,
  CallStats,
  CallStatsQuery,
  NerveHealth,
  OrderCallLog,
  OrderCalls,
  OrderIdPath,
  WaitingCalls,
  WaitingCallsQuery,
} from "../../api/nerve.js"
import {
  BadRequest,
  Conflict,
  NotFound,
  ServiceUnavailable,
  Unauthorized,
  Unprocessable,
} from "../../domain/errors.js"
import { CallStatusCallback } from "../../domain/exotel/wire.js"
import { RiderAssignRequest, VendorConfirmRequest } from "../../domain/voiceFlowRequests.js"
import { Guard, requires } from "../Authentication.js"
import { takesMultipart } from "../multipartCallbacks.js"

export const NerveApi = HttpApiGroup.make("nerve")
  .add(
    HttpApiEndpoint.get("health", "/nerve/health")
      .annotate(OpenApi.Summary, "Check the Nerve system")
      .addSuccess(NerveHealth)
      .pipe(requires("viewer"))
      .annotate(
        OpenApi.Description,
        "Built-in mode is always healthy; external mode pings NERVE_SYSTEM_URL/health.",
      ),
  )
  .add(
    HttpApiEndpoint.post("vendorConfirm", "/nerve/vendor/confirm")
      .annotate(OpenApi.Summary, "Call a vendor to confirm an order")
      .setPayload(VendorConfirmRequest)
      .addSuccess(CallStarted)
      .addError(Unprocessable)
      .addError(ServiceUnavailable)
      .pipe(requires("operator"))
      .annotate(
        OpenApi.Description,
        "Calls the vendor: 1 accept (then prep minutes and #), 2 reject (then a reason 1–4).",
      ),
  )
  .add(
    HttpApiEndpoint.post("riderAssign", "/nerve/rider/assign")
      .annotate(OpenApi.Summary, "Call a rider to assign a pickup")
      .setPayload(RiderAssignRequest)
      .addSuccess(CallStarted)
      .addError(Unprocessable)
      .addError(ServiceUnavailable)
      .pipe(requires("operator"))
      .annotate(
        OpenApi.Description,
        "Calls the rider: 1 accept, 2 reject (pickup_ready: 1 on the way, 2 delayed).",
      ),
  )
  .add(
    HttpApiEndpoint.get("byOrder", "/nerve/calls/order/:orderId")
      .annotate(OpenApi.Summary, "List an order's voice calls")
      .setPath(Schema.Struct({ orderId: Schema.NumberFromString.pipe(Schema.int()) }))
      .addSuccess(OrderCalls)
      .pipe(requires("viewer")),
  )
  .add(
    HttpApiEndpoint.get("orderCallLog", "/nerve/orders/:orderId/calls")
      .annotate(OpenApi.Summary, "Read an order's voice calls with their event logs")
      .setPath(OrderIdPath)
      .addSuccess(OrderCallLog)
      .addError(BadRequest)
      .addError(NotFound)
      .pipe(requires("viewer"))
      .annotate(
        OpenApi.Description,
        "Every Nerve call of the order (vendor confirmation, rider assignment, pickup), each with its attempts " +
          "and every event its flow logged; 404 when the order has no call.",
      ),
  )
  .add(
    HttpApiEndpoint.get("stats", "/nerve/calls/stats")
      .annotate(OpenApi.Summary, "Count the voice calls of a period")
      .setUrlParams(CallStatsQuery)
      .addSuccess(CallStats)
      .pipe(requires("viewer")),
  )
  .add(
    HttpApiEndpoint.get("waiting", "/nerve/calls/waiting")
      .annotate(OpenApi.Summary, "List the voice calls still waiting on a vendor or rider")
      .setUrlParams(WaitingCallsQuery)
      .addSuccess(WaitingCalls)
      .addError(BadRequest)
      .pipe(requires("viewer")),
  )
  .add(
    HttpApiEndpoint.post("retry", "/nerve/calls/:callId/retry")
      .annotate(OpenApi.Summary, "Retry an ended voice call")
      .setPath(Schema.Struct({ callId: Schema.String }))
      .addSuccess(CallStarted)
      .addError(NotFound)
      .addError(Conflict)
      .addError(Unprocessable)
      .addError(ServiceUnavailable)
      .pipe(requires("operator"))
      .annotate(OpenApi.Description, "A new attempt of a call that ended failed, busy or unanswered."),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Nerve AI voice calls")
  .annotate(
    OpenApi.Description,
    "AI voice calls that confirm orders with vendors and assign riders, by DTMF and speech: run by the " +
      "gateway itself or, with NERVE_SYSTEM_URL, by the Nerve system.",
  )

export const signatureHeader = "x-nerve-signature"

export const NerveCallbacksApi = HttpApiGroup.make("nerveCallbacks")
  .add(
    HttpApiEndpoint.post("callback", "/nerve/callback")
      .annotate(OpenApi.Summary, "Receive a signed Nerve callback")
      .addSuccess(CallbackReceived)
      .addError(Unauthorized)
      .addError(NotFound)
      .annotate(
        OpenApi.Description,
        "The seed's callback body from the Nerve system. Signed: header `X-Nerve-Signature: sha256=<hex>`, the " +
          "HMAC-SHA256 of the raw body with NERVE_CALLBACK_SECRET. Idempotent: a repeat changes nothing.",
      ),
  )
  .add(
    HttpApiEndpoint.post("exotelStatus", "/nerve/exotel-status")
      .annotate(OpenApi.Summary, "Receive Exotel's status of a voice call")
      .setPayload(CallStatusCallback)
      .addSuccess(CallbackReceived)
      .addError(NotFound)
      .annotate(
        OpenApi.Description,
        "Exotel's StatusCallback (form-encoded, multipart or JSON) for calls the gateway placed itself; CustomField carries the call id " +
          "and CallSid must match it.",
      )
      .pipe(takesMultipart),
  )
  .annotate(OpenApi.Title, "Nerve and Exotel callbacks")
  .annotate(
    OpenApi.Description,
    "Callbacks about the AI voice calls: signed ones from the Nerve system, and Exotel's status of the " +
      "calls the gateway placed itself. Called by those systems, not by clients.",
  )
