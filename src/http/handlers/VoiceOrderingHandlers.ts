// POST /voice-ordering: checks what each action needs, turns the request into an order command and the
// state machine's refusals into 404/409/422.
import { HttpApiBuilder } from "@effect/platform"
import { Effect, Random } from "effect"
import { VoiceOrders } from "../../actors/VoiceOrders.js"
import type { VoiceOrderRequest } from "../../api/voiceOrdering.js"
import { BadRequest, Conflict, NotFound, Unprocessable } from "../../domain/errors.js"
import type { OrderCommand, OrderRefusal, OrderSession } from "../../policy/voiceOrder.js"
import { GatewayApi } from "../GatewayApi.js"

type Request = typeof VoiceOrderRequest.Type

const missing = (field: string, action: string) =>
  new BadRequest({ message: `${field}: is required for ${action}`, field })

const asHttpError = (refusal: OrderRefusal) => {
  switch (refusal._tag) {
    case "UnknownSession":
      return new NotFound({ message: refusal.message })
    case "SessionExists":
    case "AlreadyPlaced":
    case "InvalidTransition":
      return new Conflict({ message: refusal.message })
    case "TotalMismatch":
      return new Unprocessable({ message: refusal.message, field: "orderData.total" })
    case "ItemsDiffer":
      return new Unprocessable({ message: refusal.message, field: "orderData.items" })
  }
}

const newSessionId = Effect.map(
  Effect.all([Random.nextIntBetween(0, 2 ** 30), Random.nextIntBetween(0, 2 ** 30)]),
  ([a, b]) => `vo_${a.toString(36)}${b.toString(36)}`,
)

/** The command and its session id, or which field the action is missing. */
const commandOf = (payload: Request): Effect.Effect<[string, OrderCommand], BadRequest> =>
  Effect.gen(function* () {
    const items = payload.orderData?.items
    const clientTotal = payload.orderData?.total
    if (payload.action === "start") {
      if (payload.phone === undefined) return yield* missing("phone", "start")
      if (items === undefined) return yield* missing("orderData.items", "start")
      const sessionId = payload.sessionId ?? (yield* newSessionId)
      return [sessionId, { action: "start", sessionId, phone: payload.phone, items, clientTotal }]
    }
    const sessionId = payload.sessionId
    if (sessionId === undefined) return yield* missing("sessionId", payload.action)
    switch (payload.action) {
      case "modify":
        if (items === undefined) return yield* missing("orderData.items", "modify")
        return [sessionId, { action: "modify", items, clientTotal }]
      case "confirm":
        return [sessionId, { action: "confirm", items, clientTotal }]
      case "cancel":
        return [sessionId, { action: "cancel" }]
    }
  })

const said: Record<OrderSession["status"], string> = {
  draft: "Order session open",
  placed: "Order placed",
  cancelled: "Order cancelled",
}

export const VoiceOrderingHandlersLive = HttpApiBuilder.group(GatewayApi, "voiceOrdering", (handlers) =>
  Effect.gen(function* () {
    const orders = yield* VoiceOrders
    return handlers.handle("act", ({ payload }) =>
      Effect.gen(function* () {
        const [sessionId, command] = yield* commandOf(payload)
        const session = yield* orders
          .act(sessionId, command, { channel: "api", callSid: null })
          .pipe(Effect.mapError(asHttpError))
        return {
          success: true as const,
          sessionId: session.sessionId,
          status: session.status,
          phone: session.phone,
          items: session.items,
          total: session.total,
          version: session.version,
          message: command.action === "modify" ? "Order updated" : said[session.status],
        }
      }),
    )
  }),
)
