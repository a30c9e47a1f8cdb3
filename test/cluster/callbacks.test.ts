// Fifty vendor confirmations on three gateway processes behind a round-robin proxy, which is every process's
// PUBLIC_BASE_URL: each call's voice stream lands on one process and its Exotel callbacks (ringing, answered,
// completed) on whichever the proxy picks, mostly another, while the stream's session still runs. Each call must
// end with the vendor's answer, and the webhook receiver must get exactly one event per decision: none missing,
// none twice. Needs a PostgreSQL server (TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test).
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schedule } from "effect"
import { SimulatedCalleesLive } from "../../src/sim/streamCaller/SimulatedCallees.js"
import { webhookReceiver } from "../support/webhookReceiver.js"
import { call, poll, type Runner, serverReachable, serverUrl, startFleet } from "./support.js"

const reachable = await serverReachable()
if (!reachable) {
  console.warn(
    `test/cluster skipped: no PostgreSQL server answers at ${serverUrl} (set TEST_DATABASE_URL to one)`,
  )
}

const calls = 50

/** The sum of a runner's /metrics series whose line contains every one of `parts`. */
const counted = (runner: Runner, ...parts: ReadonlyArray<string>) =>
  Effect.promise(async () => {
    const text = await (
      await fetch(`${runner.base}/api/exotel/metrics`, {
        headers: { authorization: "Bearer cluster-admin-token-0123456789abcdef" },
      })
    ).text()
    return text
      .split("\n")
      .filter((line) => !line.startsWith("#") && parts.every((part) => line.includes(part)))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0)
  })

describe.skipIf(!reachable)("three gateway processes on one PostgreSQL server", () => {
  it.live(
    "vendor calls whose callbacks land on other processes than their streams each end right, with one event per decision",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const receiver = yield* webhookReceiver()
          const { runners, proxy } = yield* startFleet({
            behindProxy: true,
            env: { EVENT_WEBHOOK_URLS: receiver.url },
          }).pipe(Effect.provide(SimulatedCalleesLive))
          if (proxy === undefined) return
          const orders = Array.from({ length: calls }, (_, i) => 81_000 + i)
          // As Nerve would place them: the account's budget (200 requests a minute, shared by the three) answers a
          // burst past it with 503 and Retry-After, and the caller comes back a second later.
          const place = (orderId: number, i: number) =>
            call(proxy.url, "POST", "/nerve/vendor/confirm", {
              orderId,
              vendorId: 700 + i,
              vendorPhone: `9198765${String(10_000 + i).slice(-5)}`,
              vendorName: "Sharma Dhaba",
              orderAmount: 450,
              itemCount: 3,
              language: "en",
            }).pipe(
              Effect.filterOrFail(
                (answer) => answer.status !== 503,
                () => "budget spent" as const,
              ),
              Effect.retry({ schedule: Schedule.spaced("1 second"), times: 60 }),
            )
          // Two a second: well inside the budget, so each order has one call.
          const placed = yield* Effect.forEach(
            orders,
            (orderId, i) => Effect.delay(place(orderId, i), "500 millis"),
            {
              concurrency: 1,
            },
          )
          expect(placed.filter((p) => p.status !== 200).map((p) => p.body)).toEqual([])
          const callIds = placed.map((p) => String(p.body.callId))

          // Every vendor accepted and gave 25 minutes, whichever process heard which part of the call.
          const lastCalls = Effect.forEach(
            orders,
            (orderId) =>
              Effect.map(call(proxy.url, "GET", `/nerve/calls/order/${orderId}`), (r) => {
                const list = (r.body.calls as ReadonlyArray<Record<string, unknown>> | undefined) ?? []
                const last = list.at(-1)
                return { id: String(last?.id), status: last?.status, prepTimeMinutes: last?.prepTimeMinutes }
              }),
            { concurrency: 5 },
          )
          const settled = yield* poll(
            lastCalls,
            (all) => all.every((c) => c.status === "prep_time_set"),
            "90 seconds",
          ).pipe(Effect.catchAll(() => lastCalls))
          expect(settled.map((c) => [c.status, c.prepTimeMinutes])).toEqual(
            orders.map(() => ["prep_time_set", 25]),
          )
          const answered = new Set(settled.map((c) => c.id))
          // The calls placed are the ones answered: one call per order.
          expect([...answered].sort()).toEqual([...callIds].sort())

          // One VENDOR_ACCEPTED and one VENDOR_PREP_TIME_SET per answered call: none missing, none twice (a late
          // duplicate would arrive within the wait after the last of them); no event id is ever delivered twice.
          yield* poll(
            Effect.sync(() =>
              receiver.received.filter((w) => answered.has((w.body as { callId: string }).callId)),
            ),
            (got) => got.length >= calls * 2,
            "30 seconds",
          ).pipe(Effect.ignore)
          yield* Effect.sleep("3 seconds")
          const byCall = new Map<string, Array<string>>()
          for (const { body } of receiver.received) {
            const event = body as { readonly callId: string; readonly type: string }
            byCall.set(event.callId, [...(byCall.get(event.callId) ?? []), event.type])
          }
          const ids = receiver.received.map((w) => w.eventId)
          expect(new Set(ids).size).toBe(ids.length)
          for (const id of answered)
            expect([id, (byCall.get(id) ?? []).sort()]).toEqual([
              id,
              ["VENDOR_ACCEPTED", "VENDOR_PREP_TIME_SET"],
            ])
          for (const [id, types] of byCall)
            if (!answered.has(id)) expect(types).toEqual(["VOICE_CALL_FAILED"])

          // The work was spread: Exotel's callbacks reached all three processes, and the streams more than one.
          const callbacks = yield* Effect.forEach(runners, (r) =>
            counted(r, "http_requests_total", "exotel-status"),
          )
          const streams = yield* Effect.forEach(runners, (r) => counted(r, "voice_stream_media_frames_total"))
          expect(callbacks.every((n) => n > 0)).toBe(true)
          expect(streams.filter((n) => n > 0).length).toBeGreaterThan(1)
        }),
      ),
    240_000,
  )
})
