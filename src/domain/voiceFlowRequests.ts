// What it takes to start a vendor confirmation or a rider assignment: the seed's request bodies, shared by the
// HTTP endpoints and the library service.
import { Schema } from "effect"
import { PhoneNumber } from "./PhoneNumber.js"
import { Language } from "./VoiceCall.js"

const Id = Schema.Int.pipe(Schema.positive())

export const VendorConfirmRequest = Schema.Struct({
  orderId: Id,
  vendorId: Id,
  vendorPhone: PhoneNumber,
  vendorName: Schema.String,
  orderAmount: Schema.Number,
  itemCount: Schema.optional(Schema.Int),
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
  riderName: Schema.String,
  vendorName: Schema.String,
  vendorAddress: Schema.String,
  estimatedAmount: Schema.optional(Schema.Number),
  language: Schema.optionalWith(Language, { default: () => "hi" as const }),
  /** "pickup_ready" tells the rider the order is ready: 1 on the way, 2 delayed. */
  purpose: Schema.optionalWith(Schema.Literal("assignment", "pickup_ready"), {
    default: () => "assignment" as const,
  }),
}).annotations({ identifier: "RiderAssignRequest", parseOptions: { errors: "all" } })
