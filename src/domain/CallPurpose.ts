// Why a call or message is made: the nine purposes of the seed's templates and scheduled calls.
import { Schema } from "effect"

export const callPurposes = [
  "order_confirmation",
  "delivery_update",
  "payment_reminder",
  "promotional_offer",
  "feedback_request",
  "support_callback",
  "otp_verification",
  "abandoned_cart",
  "custom",
] as const

export const CallPurpose = Schema.Literal(...callPurposes).annotations({
  identifier: "CallPurpose",
  message: (issue) => ({
    message: `must be one of ${callPurposes.join(", ")}, got ${JSON.stringify(issue.actual)}`,
    override: true,
  }),
})
export type CallPurpose = typeof CallPurpose.Type
