// The seed's Nerve endpoints: start vendor and rider calls, read them by order, stats, retry — and, in a
// group without the bearer guard, the callbacks: Nerve's (HMAC-signed) and Exotel's status callback for the
// calls the gateway places itself.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { Conflict, NotFound, ServiceUnavailable, Unauthorized, Unprocessable } from "../../domain/errors.js"
import { CallStatusCallback } from "../../domain/exotel/wire.js"
import { Period } from "../../domain/periods.js"
import { RiderAssignRequest, VendorConfirmRequest } from "../../domain/voiceFlowRequests.js"
import { VoiceCallAttempt, VoiceCallRow } from "../../store/VoiceCallsRepo.js"
import { Guard, requires } from "../Authentication.js"
import { takesMultipart } from "../multipartCallbacks.js"

export const CallStarted = Schema.Struct({
  callId: Schema.String,
  callSid: Schema.NullOr(Schema.String),
  status: Schema.String,
  message: Schema.String,
}).annotations({ identifier: "CallStarted" })

const nullableDate = Schema.NullOr(Schema.Date)
export const VoiceCallView = Schema.Struct({
  ...VoiceCallRow.fields,
  status: Schema.String.annotations({
    description:
      "initiated, ringing, answered, accepted or rejected while the call is on; once it ended, its outcome: " +
      "accepted, rejected, prep_time_set (accepted with a prep time), completed, failed, busy or no_response.",
  }),
  initiatedAt: nullableDate,
  answeredAt: nullableDate,
  endedAt: nullableDate,
  createdAt: nullableDate,
  updatedAt: nullableDate,
  attempts: Schema.Array(
    VoiceCallAttempt.annotations({
      identifier: "VoiceCallAttempt",
      description:
        "status: how the line went (completed once the flow got its answer, else failed, busy or no_response); " +
        "outcome: what the attempt got, null while it is on.",
    }),
  ),
}).annotations({ identifier: "VoiceCall" })

export const OrderAnswer = Schema.Struct({
  callId: Schema.String,
  callType: Schema.String,
  status: Schema.String,
  decision: Schema.NullOr(Schema.Literal("accepted", "rejected")),
  prepTimeMinutes: Schema.NullOr(Schema.Number),
  rejectionReason: Schema.NullOr(Schema.String),
  vendorId: Schema.NullOr(Schema.Number),
  riderId: Schema.NullOr(Schema.Number),
}).annotations({
  identifier: "OrderAnswer",
  description:
    "A side's newest answered call (else its newest call, undecided); null when the order has no call of that side.",
})

export const OrderCalls = Schema.Struct({
  orderId: Schema.Number,
  vendor: Schema.NullOr(OrderAnswer),
  rider: Schema.NullOr(OrderAnswer),
  calls: Schema.Array(VoiceCallView),
}).annotations({ identifier: "OrderVoiceCalls" })

export const NerveHealth = Schema.Struct({
  mode: Schema.Literal("built-in", "external"),
  healthy: Schema.Boolean,
  url: Schema.NullOr(Schema.String),
  latencyMs: Schema.NullOr(Schema.Number),
}).annotations({ identifier: "NerveHealth" })

export const CallStats = Schema.Struct({
  period: Period,
  total: Schema.Number,
  byStatus: Schema.Record({ key: Schema.String, value: Schema.Number }),
  completed: Schema.Number,
  /** Completed calls / total calls (the seed's call success rate). */
  successRate: Schema.NullOr(Schema.Number),
  answered: Schema.Number,
  answerRate: Schema.NullOr(Schema.Number),
  averageDurationSeconds: Schema.NullOr(Schema.Number),
  accepted: Schema.Number,
  rejected: Schema.Number,
  /** Accepted / (accepted + rejected), over every flow that asks for a decision. */
  acceptanceRate: Schema.NullOr(Schema.Number),
  averagePrepTimeMinutes: Schema.NullOr(Schema.Number),
  /** Accepted / total vendor confirmation calls (the seed's "Nerve call success"). */
  vendorCalls: Schema.Struct({
    total: Schema.Number,
    accepted: Schema.Number,
    successRate: Schema.NullOr(Schema.Number),
  }),
  /** Every attempt of the period's calls (a retried call counts each), and the calls that took more than one. */
  attempts: Schema.Struct({ total: Schema.Number, callsRetried: Schema.Number }),
}).annotations({ identifier: "NerveCallStats" })

export const CallbackReceived = Schema.Struct({
  received: Schema.Literal(true),
  /** False for a repeat, or for an event that arrived after the call had finished (recorded, not applied). */
  applied: Schema.Boolean,
})

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
    HttpApiEndpoint.get("stats", "/nerve/calls/stats")
      .annotate(OpenApi.Summary, "Count the voice calls of a period")
      .setUrlParams(
        Schema.Struct({
          period: Schema.optionalWith(Period, { default: () => "7d" as const }),
        }),
      )
      .addSuccess(CallStats)
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
