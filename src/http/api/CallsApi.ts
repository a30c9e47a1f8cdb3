// Calls through Exotel: click-to-call, verified (branded) calls, the call log and recordings.
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import {
  CallInitiated,
  CallListParams,
  CallPage,
  CallView,
  ClickToCallRequest,
  Recording,
  VerifiedCallInitiated,
  VerifiedCallRequest,
} from "../../api/calls.js"
import {
  BadRequest,
  Conflict,
  Forbidden,
  NotFound,
  ServiceUnavailable,
  Unprocessable,
  UpstreamRejected,
} from "../../domain/errors.js"
import { Guard, requires } from "../Authentication.js"
import { IdempotencyHeaders } from "../idempotency.js"

const callSidParam = HttpApiSchema.param("callSid", Schema.String)

export const CallsApi = HttpApiGroup.make("calls")
  .add(
    HttpApiEndpoint.post("clickToCall", "/click-to-call")
      .annotate(OpenApi.Summary, "Place a click-to-call")
      .setPayload(ClickToCallRequest)
      .setHeaders(IdempotencyHeaders)
      .addSuccess(CallInitiated)
      .addError(BadRequest)
      .addError(Conflict)
      .addError(Unprocessable)
      .addError(UpstreamRejected)
      .addError(ServiceUnavailable)
      .pipe(requires("operator"))
      .annotate(
        OpenApi.Description,
        "Exotel dials the agent, then the customer, and bridges them (Calls/connect). The call is stored before " +
          "Exotel is asked; a repeated `Idempotency-Key` returns the first answer without a second call.",
      ),
  )
  .add(
    HttpApiEndpoint.post("verifiedCall", "/verified-calls")
      .annotate(OpenApi.Summary, "Place a verified (branded) call")
      .setPayload(VerifiedCallRequest)
      .setHeaders(IdempotencyHeaders)
      .addSuccess(VerifiedCallInitiated)
      .addError(BadRequest)
      .addError(Forbidden)
      .addError(Conflict)
      .addError(Unprocessable)
      .addError(UpstreamRejected)
      .addError(ServiceUnavailable)
      .pipe(requires("operator"))
      .annotate(
        OpenApi.Description,
        "A Truecaller-verified call: placed from the account's verified ExoPhone (the default ExoPhone) as a " +
          "Connect Voice AI call to the gateway's voice stream, with the call reason recorded. Needs the " +
          "verifiedCallsEnabled feature.",
      ),
  )
  .add(
    HttpApiEndpoint.get("listCalls", "/calls")
      .annotate(OpenApi.Summary, "List the call log")
      .setUrlParams(CallListParams)
      .addSuccess(CallPage)
      .addError(BadRequest)
      .pipe(requires("viewer"))
      .annotate(OpenApi.Description, "The call log, newest first; `from`/`to` bound the creation time."),
  )
  .add(
    HttpApiEndpoint.get("getCall")`/calls/${callSidParam}`
      .annotate(OpenApi.Summary, "Read one call")
      .addSuccess(CallView)
      .addError(NotFound)
      .pipe(requires("viewer"))
      .annotate(OpenApi.Description, "One call by its Exotel CallSid or the gateway's id."),
  )
  .add(
    HttpApiEndpoint.get("getRecording")`/recordings/${callSidParam}`
      .annotate(OpenApi.Summary, "Get a call's recording URL")
      .addSuccess(Recording)
      .addError(NotFound)
      .addError(ServiceUnavailable)
      .pipe(requires("viewer"))
      .annotate(OpenApi.Description, "The recording URL of a recorded call."),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Calls")
  .annotate(
    OpenApi.Description,
    "Calls placed through Exotel: click-to-call, verified calls, the call log and recordings.",
  )
