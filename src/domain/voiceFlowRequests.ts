// What it takes to start a vendor confirmation or a rider assignment: the seed's request bodies, shared by the
// HTTP endpoints and the library service.
import { Schema } from "effect"
import { PhoneNumber } from "./PhoneNumber.js"
import { Language } from "./VoiceCall.js"

const Id = Schema.Int.pipe(Schema.positive())

/** A name is read aloud in the call's prompt: an empty one would leave a gap in what the callee hears. */
const Name = Schema.Trim.pipe(Schema.minLength(1, { message: () => "must not be empty" }))

/** Rupees; the prompt reads it out, so it is a real amount, not a negative or NaN. */
const Amount = Schema.Number.pipe(
  Schema.finite({ message: () => "must be a number" }),
  Schema.nonNegative({ message: (issue) => `must not be negative, got ${JSON.stringify(issue.actual)}` }),
)

export const VendorConfirmRequest = Schema.Struct({
  orderId: Id,
  vendorId: Id,
  vendorPhone: PhoneNumber,
  vendorName: Name,
  orderAmount: Amount,
  itemCount: Schema.optional(Schema.Int.pipe(Schema.positive({ message: () => "must be at least 1" }))),
  language: Schema.optionalWith(Language, { default: () => "hi" as const }),
  /** "prep_time" asks only for the preparation time of an order already accepted. */
  purpose: Schema.optionalWith(Schema.Literal("confirmation", "prep_time"), {
    default: () => "confirmation" as const,
  }),
}).annotations({ identifier: "VendorConfirmRequest", parseOptions: { errors: "all" } })

export const RiderAssignRequest = Schema.Struct({
  orderId: Id,
  riderId: Id,
  riderPhone: PhoneNumber,
  riderName: Name,
  vendorName: Name,
  vendorAddress: Name,
  estimatedAmount: Schema.optional(Amount),
  language: Schema.optionalWith(Language, { default: () => "hi" as const }),
  /** "pickup_ready" tells the rider the order is ready: 1 on the way, 2 delayed. */
  purpose: Schema.optionalWith(Schema.Literal("assignment", "pickup_ready"), {
    default: () => "assignment" as const,
  }),
}).annotations({ identifier: "RiderAssignRequest", parseOptions: { errors: "all" } })
