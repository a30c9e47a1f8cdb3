import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option, Schedule } from "effect"
import { GatewayTest, pressing, SimulatedPhones, simulatorLedger } from "exotel-voice-gateway/testing"
import { type Order, Orders, OrdersLive } from "./OrderService.js"

const sharma = { id: 67, name: "Sharma Dhaba", phone: "9876500067" }
const gupta = { id: 68, name: "Gupta Sweets", phone: "9876500068" }

/** Waits (on the real clock: the calls are real) until the order reaches the state wanted. */
const orderWhere = (id: number, done: (order: Order) => boolean) =>
  Effect.flatMap(Orders, (orders) => orders.get(id)).pipe(
    Effect.flatMap(Option.match({ onNone: () => Effect.fail("missing" as const), onSome: Effect.succeed })),
    Effect.filterOrFail(done, () => "not yet" as const),
    Effect.retry(Schedule.spaced("100 millis").pipe(Schedule.upTo("40 seconds"))),
  )

layer(OrdersLive.pipe(Layer.provideMerge(GatewayTest())), { timeout: 120_000, excludeTestServices: true })(
  "an order service on the gateway",
  (it) => {
    it.effect("a vendor who accepts sets the prep time", () =>
      Effect.gen(function* () {
        const phones = yield* SimulatedPhones
        yield* phones.program(sharma.phone, pressing("1", "25#"))
        yield* (yield* Orders).place({ id: 1001, amount: 450, itemCount: 3, vendors: [sharma, gupta] })
        const order = yield* orderWhere(
          1001,
          (o) => o.status === "accepted" && Option.isSome(o.prepTimeMinutes),
        )
        expect(order.vendor).toEqual(Option.some(sharma))
        expect(order.prepTimeMinutes).toEqual(Option.some(25))
      }),
    )

    it.effect("a vendor who rejects triggers reassignment to the next vendor", () =>
      Effect.gen(function* () {
        const phones = yield* SimulatedPhones
        yield* phones.program(sharma.phone, pressing("2", "2"))
        yield* phones.program(gupta.phone, pressing("1", "15#"))
        yield* (yield* Orders).place({ id: 1002, amount: 300, itemCount: 1, vendors: [sharma, gupta] })
        const order = yield* orderWhere(
          1002,
          (o) => o.status === "accepted" && Option.isSome(o.prepTimeMinutes),
        )
        expect(order.rejections).toEqual([{ vendorId: 67, reason: "shop_closed" }])
        expect(order.vendor).toEqual(Option.some(gupta))
        const ledger = yield* simulatorLedger
        const dialled = ledger
          .all()
          .filter((e) => e.kind === "call")
          .map((e) => e.fields.From)
        expect(dialled.filter((p) => p === "+919876500067")).toHaveLength(2)
        expect(dialled.filter((p) => p === "+919876500068")).toHaveLength(1)
        const calls = yield* (yield* Orders).calls(1002)
        expect(calls.map((c) => [c.vendorId, c.status, c.rejectionReason])).toEqual([
          [67, "rejected", "shop_closed"],
          [68, "prep_time_set", null],
        ])
      }),
    )
  },
)
