// POST /voice-ordering: the seed's voice-order actions (start, confirm, cancel, modify) over a persisted
// order session. The gateway computes the total; a client total is only checked against it.
// The request and response schemas; the endpoints are src/http/api/VoiceOrderingApi.ts.
import { Schema } from "effect"
import { PhoneNumber } from "../domain/PhoneNumber.js"
import {
  OrderItem,
  OrderItems,
  OrderSessionId,
  Rupees,
  VoiceOrderAction,
  VoiceOrderStatus,
} from "../domain/VoiceOrder.js"

export const VoiceOrderRequest = Schema.Struct({
  /** Needed to start; ignored afterwards (the session keeps the phone it started with). */
  phone: Schema.optional(PhoneNumber),
  action: VoiceOrderAction,
  /** Items for start and modify; on confirm, optional items and total the client believes it confirms. */
  orderData: Schema.optional(
    Schema.Struct({
      items: Schema.optional(OrderItems),
      total: Schema.optional(Rupees),
    }),
  ),
  /** Optional on start (one is made up and returned); required for every other action. */
  sessionId: Schema.optional(OrderSessionId),
}).annotations({ identifier: "VoiceOrderRequest", parseOptions: { errors: "all" } })

export const VoiceOrderResponse = Schema.Struct({
  success: Schema.Literal(true),
  sessionId: Schema.String,
  status: VoiceOrderStatus,
  phone: Schema.String,
  items: Schema.Array(OrderItem),
  total: Schema.Number,
  version: Schema.Number,
  message: Schema.String,
}).annotations({ identifier: "VoiceOrder" })
