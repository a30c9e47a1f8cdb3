// Number masking: a virtual number (Exotel GreenVN) that connects two parties without showing either number.
// The request and response schemas; the endpoints are src/http/api/MaskingApi.ts.
import { Schema } from "effect"
import { PhoneNumber } from "../domain/PhoneNumber.js"

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
