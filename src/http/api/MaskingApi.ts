// Number masking: a virtual number (Exotel GreenVN) that connects two parties without showing either number.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { BadRequest, Conflict, Forbidden, ServiceUnavailable, UpstreamRejected } from "../../domain/errors.js"
import { PhoneNumber } from "../../domain/PhoneNumber.js"
import { Guard, requires } from "../Authentication.js"
import { IdempotencyHeaders } from "../idempotency.js"

export const NumberMaskingRequest = Schema.Struct({
  partyA: PhoneNumber,
  partyB: PhoneNumber,
  expiresInHours: Schema.optionalWith(
    Schema.Number.pipe(
      Schema.filter((n) => Number.isInteger(n) && n >= 1 && n <= 168, {
        message: (issue) =>
          `must be a whole number of hours from 1 to 168, got ${JSON.stringify(issue.actual)}`,
      }),
    ),
    { default: () => 24 },
  ),
  callType: Schema.optionalWith(Schema.Literal("trans", "promo"), { default: () => "trans" as const }),
  context: Schema.optional(Schema.String.pipe(Schema.maxLength(200))),
}).annotations({ parseOptions: { errors: "all" }, identifier: "NumberMaskingRequest" })

export const NumberMask = Schema.Struct({
  virtualNumber: Schema.String,
  expiresAt: Schema.String,
  mappingId: Schema.String,
}).annotations({ identifier: "NumberMask" })

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
