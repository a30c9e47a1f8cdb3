// What the order system reads over HTTP: an order's voice calls (GET /nerve/calls/order/:orderId, decoded with
// the API's own schema), and the check that GET /nerve/calls/stats says the same as every order's view.
import { SqlClient } from "@effect/sql"
import { expect } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { CallStats, OrderCalls } from "../../src/api/nerve.js"
import { get } from "./upstream.js"

export type OrderCallsView = typeof OrderCalls.Type

export const orderView = (orderId: number) =>
  Effect.flatMap(get(`/nerve/calls/order/${orderId}`), (r) => {
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    return Schema.decodeUnknown(OrderCalls)(r.body)
  }).pipe(Effect.orDie)

/** Waits (real clock) until the order's view satisfies `done`, and returns it (as it last was, if it never did). */
export const orderViewUntil = (orderId: number, done: (view: OrderCallsView) => boolean, within = 20_000) =>
  Effect.gen(function* () {
    const deadline = Date.now() + within
    while (true) {
      const view = yield* orderView(orderId)
      if (done(view) || Date.now() > deadline) return view
      yield* Effect.sleep("50 millis")
    }
  })

/** Waits until every call of the order has ended. */
export const endedOrderView = (orderId: number, within = 20_000) =>
  orderViewUntil(orderId, (v) => v.calls.length > 0 && v.calls.every((c) => c.endedAt !== null), within)

const count = <A>(items: ReadonlyArray<A>, f: (a: A) => boolean) => items.filter(f).length
const tally = (keys: ReadonlyArray<string>) =>
  keys.reduce<Record<string, number>>((t, k) => Object.assign(t, { [k]: (t[k] ?? 0) + 1 }), {})
const isAccepted = (status: string) => status === "accepted" || status === "prep_time_set"

/** The last 24 h of statistics, next to what the views of every order with a call in the database add up to. */
export const statsAgreeWithOrderViews = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const orders = yield* sql<{ orderId: number }>`
    SELECT DISTINCT order_id FROM voice_calls WHERE order_id IS NOT NULL ORDER BY order_id`.pipe(Effect.orDie)
  const views = yield* Effect.forEach(orders, (o) => orderView(o.orderId), { concurrency: 4 })
  const stats = yield* Effect.flatMap(get("/nerve/calls/stats?period=24h"), (r) =>
    Schema.decodeUnknown(CallStats)(r.body),
  ).pipe(Effect.orDie)
  const calls = views.flatMap((v) => v.calls)
  const attempts = calls.flatMap((c) => c.attempts)
  const prepTimes = calls.flatMap((c) =>
    c.status === "prep_time_set" && c.prepTimeMinutes !== null ? [c.prepTimeMinutes] : [],
  )
  const vendorCalls = calls.filter((c) => c.callType === "vendor_confirmation")
  expect({
    total: stats.total,
    byStatus: stats.byStatus,
    accepted: stats.accepted,
    rejected: stats.rejected,
    completed: stats.completed,
    vendorCalls: [stats.vendorCalls.total, stats.vendorCalls.accepted],
    averagePrepTimeMinutes: stats.averagePrepTimeMinutes,
    attempts: stats.attempts,
  }).toEqual({
    total: calls.length,
    byStatus: tally(calls.map((c) => c.status)),
    accepted: count(calls, (c) => isAccepted(c.status)),
    rejected: count(calls, (c) => c.status === "rejected"),
    completed: count(
      calls,
      (c) => c.endedAt !== null && ["accepted", "rejected", "prep_time_set", "completed"].includes(c.status),
    ),
    vendorCalls: [vendorCalls.length, count(vendorCalls, (c) => isAccepted(c.status))],
    averagePrepTimeMinutes:
      prepTimes.length === 0
        ? null
        : Math.round((prepTimes.reduce((a, b) => a + b, 0) / prepTimes.length) * 10) / 10,
    attempts: { total: attempts.length, callsRetried: count(calls, (c) => c.attempts.length > 1) },
  })
  // The order views agree with the calls they list: each side's answer is one of its calls' status.
  for (const view of views) {
    for (const answer of [view.vendor, view.rider]) {
      if (answer === null) continue
      const call = view.calls.find((c) => c.id === answer.callId)
      expect(call?.status).toBe(answer.status)
    }
  }
  return { views, stats }
})
