// Number masking: a virtual number (Exotel GreenVN) that connects two parties without showing either number.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { NumberMask, NumberMaskingRequest } from "../../api/masking.js"
import { BadRequest, Conflict, Forbidden, ServiceUnavailable, UpstreamRejected } from "../../domain/errors.js"
import { Guard, requires } from "../Authentication.js"
import { IdempotencyHeaders } from "../idempotency.js"

export const MaskingApi = HttpApiGroup.make("masking")
  .add(
    HttpApiEndpoint.post("createMask", "/number-masking")
      .annotate(OpenApi.Summary, "Allocate a masked number")
      .setPayload(NumberMaskingRequest)
      .setHeaders(IdempotencyHeaders)
      .addSuccess(NumberMask)
      .addError(BadRequest)
      .addError(Forbidden)
      .addError(Conflict)
      .addError(UpstreamRejected)
      .addError(ServiceUnavailable)
      .pipe(requires("operator"))
      .annotate(
        OpenApi.Description,
        "Allocates a virtual number for two parties for 1–168 hours; the mapping is stored and expires. Needs " +
          "the numberMaskingEnabled feature.",
      ),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Number masking")
  .annotate(
    OpenApi.Description,
    "Virtual numbers that connect two parties without either seeing the other's number.",
  )
