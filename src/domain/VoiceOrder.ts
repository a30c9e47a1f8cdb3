// The vocabulary of voice ordering (the seed's POST /voice-ordering): an order session's items, its status,
// the actions that move it, and the events the order system hears when an order is placed or cancelled.
import { Schema } from "effect"

export const OrderSessionId = Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9._-]{1,100}$/)).annotations({
  message: () => "must be 1–100 letters, digits, '.', '_' or '-'",
})

/** Rupees, to the paisa. */
export const Rupees = Schema.Number.pipe(
  Schema.finite(),
  Schema.nonNegative(),
  Schema.lessThanOrEqualTo(1_000_000),
  Schema.filter((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, {
    message: () => "must be rupees to at most two decimal places",
  }),
)

export const maxQuantity = 99

export const OrderItem = Schema.Struct({
  name: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(100)),
  quantity: Schema.Int.pipe(Schema.between(1, maxQuantity)),
  price: Rupees,
})
export type OrderItem = typeof OrderItem.Type

export const OrderItems = Schema.Array(OrderItem).pipe(Schema.minItems(1), Schema.maxItems(50))

export const VoiceOrderStatus = Schema.Literal("draft", "placed", "cancelled")
export type VoiceOrderStatus = typeof VoiceOrderStatus.Type

export const VoiceOrderAction = Schema.Literal("start", "confirm", "cancel", "modify")
export type VoiceOrderAction = typeof VoiceOrderAction.Type

/** Where an action came from: the REST endpoint or a caller's keypad on a live call. */
export const OrderChannel = Schema.Literal("api", "voice")
export type OrderChannel = typeof OrderChannel.Type

export const OrderEventType = Schema.Literal("ORDER_PLACED", "ORDER_CANCELLED")
export type OrderEventType = typeof OrderEventType.Type

/** What the order system receives when a voice order is placed or cancelled; `eventId` de-duplicates. */
export const OrderEvent = Schema.Struct({
  eventId: Schema.String,
  type: OrderEventType,
  sessionId: Schema.String,
  phone: Schema.String,
  items: Schema.Array(OrderItem),
  total: Schema.Number,
  channel: OrderChannel,
  callSid: Schema.NullOr(Schema.String),
  occurredAt: Schema.String,
}).annotations({ identifier: "OrderEvent" })
export type OrderEvent = typeof OrderEvent.Type
