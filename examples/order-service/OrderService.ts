// A small order service that embeds the gateway: every order is confirmed with its vendor by an AI voice call;
// a vendor who accepts sets the prep time, a vendor who rejects passes the order to the next vendor on the
// list. It uses only the gateway's public entry point.

import { Context, Effect, Layer, Option, Ref } from "effect"
import {
  type CallEvent,
  type DomainEvents,
  type EventHandlers,
  handleEvents,
  type VendorConfirmation,
  type VoiceCallRecord,
  VoiceFlows,
} from "exotel-voice-gateway"

export interface Vendor {
  readonly id: number
  readonly name: string
  readonly phone: string
}

export type OrderStatus = "confirming" | "accepted" | "unassigned"

export interface Order {
  readonly id: number
  readonly amount: number
  readonly itemCount: number
  /** Vendors to ask, in order of preference. */
  readonly vendors: ReadonlyArray<Vendor>
  readonly status: OrderStatus
  /** The vendor being asked, or the one who accepted. */
  readonly vendor: Option.Option<Vendor>
  readonly prepTimeMinutes: Option.Option<number>
  readonly rejections: ReadonlyArray<{ readonly vendorId: number; readonly reason: string | null }>
}

export class Orders extends Context.Tag("Orders")<
  Orders,
  {
    readonly place: (order: {
      readonly id: number
      readonly amount: number
      readonly itemCount: number
      readonly vendors: ReadonlyArray<Vendor>
    }) => Effect.Effect<Order>
    readonly get: (id: number) => Effect.Effect<Option.Option<Order>>
    /** Every call made about the order, oldest first: what the support desk reads. */
    readonly calls: (id: number) => Effect.Effect<ReadonlyArray<VoiceCallRecord>>
  }
>() {}

/** Needs the gateway's voice flows and its domain events: GatewayFromConfig in production, GatewayTest in tests. */
export const OrdersLive: Layer.Layer<Orders, never, VoiceFlows | DomainEvents> = Layer.scoped(
  Orders,
  Effect.gen(function* () {
    const flows = yield* VoiceFlows
    const orders = yield* Ref.make(new Map<number, Order>())

    const save = (order: Order) => Ref.update(orders, (m) => new Map(m).set(order.id, order))
    const find = (id: number | null) =>
      Effect.map(Ref.get(orders), (m) => Option.fromNullable(id === null ? undefined : m.get(id)))

    /** Calls the first vendor not yet asked; with none left the order is unassigned. */
    const askNextVendor = (order: Order): Effect.Effect<void> => {
      const asked = new Set(order.rejections.map((r) => r.vendorId))
      const next = order.vendors.find((v) => !asked.has(v.id))
      if (next === undefined) return save({ ...order, status: "unassigned", vendor: Option.none() })
      return Effect.gen(function* () {
        yield* save({ ...order, status: "confirming", vendor: Option.some(next) })
        const request: VendorConfirmation = {
          orderId: order.id,
          vendorId: next.id,
          vendorPhone: next.phone,
          vendorName: next.name,
          orderAmount: order.amount,
          itemCount: order.itemCount,
          language: "hi",
        }
        yield* flows.confirmVendorOrder(request).pipe(
          // A call that cannot be placed counts as a refusal by that vendor: try the next one.
          Effect.catchAll((error) =>
            Effect.flatMap(find(order.id), (current) =>
              Option.isNone(current)
                ? Effect.void
                : askNextVendor({
                    ...current.value,
                    rejections: [...current.value.rejections, { vendorId: next.id, reason: error._tag }],
                  }),
            ),
          ),
        )
      })
    }

    const onOrder = (event: CallEvent, change: (order: Order) => Effect.Effect<void>) =>
      Effect.flatMap(find(event.orderId), Option.match({ onNone: () => Effect.void, onSome: change }))

    const handlers: EventHandlers<never> = {
      VENDOR_ACCEPTED: (event) => onOrder(event, (order) => save({ ...order, status: "accepted" })),
      VENDOR_PREP_TIME_SET: (event) =>
        onOrder(event, (order) =>
          save({ ...order, prepTimeMinutes: Option.fromNullable(event.prepTimeMinutes) }),
        ),
      VENDOR_REJECTED: (event) =>
        onOrder(event, (order) =>
          askNextVendor({
            ...order,
            rejections: [...order.rejections, { vendorId: event.vendorId ?? 0, reason: event.reason }],
          }),
        ),
    }
    yield* handleEvents(handlers)

    return Orders.of({
      place: (input) =>
        Effect.gen(function* () {
          const order: Order = {
            ...input,
            status: "confirming",
            vendor: Option.none(),
            prepTimeMinutes: Option.none(),
            rejections: [],
          }
          yield* askNextVendor(order)
          return Option.getOrElse(yield* find(order.id), () => order)
        }),
      get: find,
      calls: flows.callsForOrder,
    })
  }),
)
