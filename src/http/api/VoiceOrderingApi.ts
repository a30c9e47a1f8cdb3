// POST /voice-ordering: the seed's voice-order actions (start, confirm, cancel, modify) over a persisted
// order session. The gateway computes the total; a client total is only checked against it.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { BadRequest, Conflict, NotFound, Unprocessable } from "../../domain/errors.js"
import { PhoneNumber } from "../../domain/PhoneNumber.js"
import {
  OrderItem,
  OrderItems,
  OrderSessionId,
  Rupees,
  VoiceOrderAction,
  VoiceOrderStatus,
} from "../../domain/VoiceOrder.js"
import { Guard, requires } from "../Authentication.js"

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

export const VoiceOrderingApi = HttpApiGroup.make("voiceOrdering")
  .add(
    HttpApiEndpoint.post("act", "/voice-ordering")
      .annotate(OpenApi.Summary, "Start, change, confirm or cancel a voice order")
      .setPayload(VoiceOrderRequest)
      .addSuccess(VoiceOrderResponse)
      .addError(BadRequest)
      .addError(NotFound)
      .addError(Conflict)
      .addError(Unprocessable)
      .annotate(
        OpenApi.Description,
        "start needs phone and orderData.items; modify needs sessionId and orderData.items; confirm and " +
          "cancel need sessionId. A total that disagrees with the items is 422; a second confirm, or any " +
          "action on a cancelled order, is 409. A placed order may still be cancelled.",
      )
      .pipe(requires("operator")),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Voice ordering")
  .annotate(OpenApi.Description, "Orders taken by phone: started, changed, confirmed or cancelled.")
