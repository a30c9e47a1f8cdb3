// The scheduled-call endpoints and the dispatcher behind them, over real HTTP against the in-process simulator,
// on the TestClock: every time rule (DND, retry delays, the re-check at dispatch) is driven by adjusting it.
// The TestClock starts at the epoch, 05:30 in Asia/Kolkata on a Thursday, inside the default DND window.
import { describe, expect, layer } from "@effect/vitest"
import { Context, Effect, Layer, Option, Redacted, TestClock, TestServices } from "effect"
import {
  defaultSimulatorOptions,
  type ExotelSimulatorHandle,
  startExotelSimulator,
} from "../../src/sim/exotel/ExotelSimulator.js"
import { defaultExotelClientOptions, ExotelClientConfig } from "../../src/upstream/exotel/ExotelClient.js"
import { TestGatewayLive } from "../support/testGateway.js"
import { eventually, get, post, put } from "../support/upstream.js"

// One HTTP attempt per call: the client's own retries would wait on the TestClock.
const clientOptions = Layer.succeed(ExotelClientConfig, {
  ...defaultExotelClientOptions,
  breaker: { threshold: 1_000, openMs: 1_000 },
  httpRetry: { ...defaultExotelClientOptions.httpRetry, maxAttempts: 1 },
})

// The simulator runs on the real clock, as Exotel does: its callbacks do not wait for the gateway's TestClock.
class Simulator extends Context.Tag("test/Simulator")<Simulator, ExotelSimulatorHandle>() {}
const account = { apiKey: "sim-key", apiToken: "sim-token", accountSid: "acme" }
const SimulatorLive = Layer.scoped(
  Simulator,
  TestServices.provideLive(startExotelSimulator(defaultSimulatorOptions(account))),
)

const gateway = Layer.unwrapEffect(
  Effect.map(Simulator, (sim) =>
    TestGatewayLive({
      defaultExoPhone: Option.some("08040000000"),
      exotelServiceUrl: Option.some(sim.url),
      exotelApiKey: Option.some(Redacted.make(account.apiKey)),
      exotelApiToken: Option.some(Redacted.make(account.apiToken)),
      exotelAccountSid: Option.some(account.accountSid),
    }),
  ),
).pipe(Layer.provide(clientOptions), Layer.provideMerge(SimulatorLive))

const ledger = Effect.map(Simulator, (sim) => sim.ledger)

const at = (iso: string) => Date.parse(iso)
const callsFrom = (phone: string) =>
  Effect.map(ledger, (l) => l.accepted("call").filter((e) => e.fields.From === phone))
const detail = (id: string) => Effect.map(get(`/scheduled-calls/${id}`), (r) => r.body)
const decisions = (body: Record<string, unknown>) =>
  Array.isArray(body.attemptLog) ? body.attemptLog.map((a: { decision: string }) => a.decision) : []
/** Waits on the real clock (the simulator's callbacks run on it) while the gateway's clock stands still. */
const until = <A, E, R>(read: Effect.Effect<A, E, R>, done: (a: A) => boolean) =>
  TestServices.provideLive(eventually(read, done, "20 seconds"))
const statusOf = (id: string, status: string) => until(detail(id), (body) => body.status === status)

layer(gateway, { timeout: 120_000 })("scheduled calls", (it) => {
  describe("POST /scheduled-calls", () => {
    it.effect(
      "moves a call asked for in DND to 09:00, places it once then, and follows it to completed",
      () =>
        Effect.gen(function* () {
          const phone = "+919123400010"
          const answer = yield* post("/scheduled-calls", {
            phone,
            purpose: "payment_reminder",
            context: { orderId: "ORDER-12345", orderAmount: 450 },
            priority: 2,
          })
          expect(answer.status).toBe(201)
          expect(answer.body).toMatchObject({
            id: expect.stringMatching(/^sched_/),
            status: "scheduled",
            scheduledTime: "1970-01-01T03:30:00.000Z",
            movedBecause: expect.stringContaining("DND"),
          })
          const id = String(answer.body.id)
          const pending = yield* get("/scheduled-calls")
          expect(pending.body.scheduledCalls).toEqual([
            expect.objectContaining({ id, status: "pending", priority: 2 }),
          ])

          yield* TestClock.adjust("3 hours")
          yield* TestServices.provideLive(Effect.sleep("200 millis"))
          expect(yield* callsFrom(phone)).toHaveLength(0)

          yield* TestClock.adjust("30 minutes")
          const done = yield* statusOf(id, "completed")
          expect(decisions(done)).toEqual(["claimed", "placed", "outcome"])
          expect(done).toMatchObject({ attempts: 1, lastOutcome: "completed" })
          const placed = yield* callsFrom(phone)
          expect(placed).toHaveLength(1)
          expect(placed[0]?.fields).toMatchObject({
            CallerId: "08040000000",
            CustomField: "payment_reminder|ORDER-12345",
            StreamUrl: expect.stringContaining(`callId=${id}-a1`),
            StatusCallback: expect.stringContaining("/webhooks/exotel/call-status?token="),
          })
          const call = yield* get(`/calls/${id}-a1`)
          expect(call.body).toMatchObject({ kind: "scheduled", status: "completed", from: phone })
        }),
      60_000,
    )

    it.effect(
      "retries a busy line after the configured backoff and gives up after the last attempt",
      () =>
        Effect.gen(function* () {
          const phone = "+919123400991"
          const answer = yield* post("/scheduled-calls", {
            phone,
            purpose: "order_confirmation",
            retryConfig: {
              maxAttempts: 3,
              initialDelaySeconds: 300,
              backoffMultiplier: 2,
              maxDelaySeconds: 3600,
            },
          })
          expect(answer.body.movedBecause).toBeNull()
          const id = String(answer.body.id)
          const start = at(String(answer.body.scheduledTime))
          const retryAt = (body: Record<string, unknown>) =>
            Array.isArray(body.attemptLog)
              ? body.attemptLog.filter((a: { decision: string }) => a.decision === "retry_scheduled").length
              : 0

          const first = yield* until(detail(id), (b) => retryAt(b) === 1)
          expect(first).toMatchObject({
            status: "pending",
            lastOutcome: "busy",
            scheduledTime: new Date(start + 300_000).toISOString(),
          })

          yield* TestClock.adjust("299 seconds")
          yield* TestServices.provideLive(Effect.sleep("200 millis"))
          expect(yield* callsFrom(phone)).toHaveLength(1)
          yield* TestClock.adjust("1 second")
          const second = yield* until(detail(id), (b) => retryAt(b) === 2)
          expect(second.scheduledTime).toBe(new Date(start + 300_000 + 600_000).toISOString())

          yield* TestClock.adjust("600 seconds")
          const failed = yield* statusOf(id, "failed")
          expect(decisions(failed).filter((d) => d === "placed")).toHaveLength(3)
          expect(decisions(failed).at(-1)).toBe("gave_up")
          expect(yield* callsFrom(phone)).toHaveLength(3)
        }),
      60_000,
    )

    it.effect(
      "fails at once when Exotel refuses the call, and retries when Exotel is unavailable",
      () =>
        Effect.gen(function* () {
          const refused = yield* post("/scheduled-calls", {
            phone: "+919123400998",
            purpose: "order_confirmation",
          })
          const refusedDone = yield* statusOf(String(refused.body.id), "failed")
          expect(decisions(refusedDone)).toEqual(["claimed", "outcome", "gave_up"])
          expect(refusedDone.attemptLog).toContainEqual(expect.objectContaining({ outcome: "failed" }))

          const down = yield* post("/scheduled-calls", {
            phone: "+919123400997",
            purpose: "order_confirmation",
          })
          const downRetry = yield* until(
            detail(String(down.body.id)),
            (b) => b.lastOutcome === "network_error",
          )
          expect(downRetry).toMatchObject({ status: "pending", lastOutcome: "network_error" })
        }),
      60_000,
    )

    it.effect(
      "re-checks the timing policy at dispatch and moves a call that became disallowed",
      () =>
        Effect.gen(function* () {
          const answer = yield* post("/scheduled-calls", {
            phone: "+919123400020",
            purpose: "feedback_request",
            preferredTime: "1970-01-01T05:00:00Z",
          })
          expect(answer.body).toMatchObject({ scheduledTime: "1970-01-01T05:00:00.000Z", movedBecause: null })
          // 10:30 in Kolkata; business hours now start at 11:00.
          expect((yield* put("/config/timing", { businessHoursStart: "11:00" })).status).toBe(200)
          yield* TestClock.setTime(at("1970-01-01T05:00:00Z"))
          const moved = yield* until(detail(String(answer.body.id)), (b) => decisions(b).includes("moved"))
          expect(moved).toMatchObject({
            status: "pending",
            scheduledTime: "1970-01-01T05:30:00.000Z",
            movedBecause: expect.stringContaining("business hours"),
          })
          expect((yield* put("/config/timing", { businessHoursStart: "09:00" })).status).toBe(200)
        }),
      60_000,
    )
  })

  describe("cancel, lookups and bad input", () => {
    it.effect(
      "cancels a pending call once; a second cancel is a 409 and an unknown id a 404",
      () =>
        Effect.gen(function* () {
          const answer = yield* post("/scheduled-calls", {
            phone: "+919123400030",
            purpose: "order_confirmation",
            preferredTime: "1970-01-05T00:00:00Z",
          })
          const id = String(answer.body.id)
          const cancelled = yield* post(`/scheduled-calls/${id}/cancel`, {})
          expect(cancelled).toMatchObject({ status: 200, body: { id, status: "cancelled" } })
          const again = yield* post(`/scheduled-calls/${id}/cancel`, {})
          expect(again).toMatchObject({ status: 409, body: { _tag: "Conflict" } })
          expect((yield* get("/scheduled-calls/sched_none")).status).toBe(404)
          expect((yield* post("/scheduled-calls/sched_none/cancel", {})).status).toBe(404)
          const listed = yield* get("/scheduled-calls")
          expect(listed.body.scheduledCalls).not.toContainEqual(expect.objectContaining({ id }))
        }),
      60_000,
    )

    it.effect(
      "answers 400 naming the field for a bad phone, purpose, priority or time",
      () =>
        Effect.gen(function* () {
          const bad = yield* post("/scheduled-calls", {
            phone: "12",
            purpose: "spam",
            priority: 0,
            preferredTime: "tomorrow",
          })
          expect(bad.status).toBe(400)
          const text = JSON.stringify(bad.body)
          for (const field of ["phone", "purpose", "priority", "preferredTime"]) expect(text).toContain(field)
          const period = yield* get("/scheduled-calls/stats/summary?period=1y")
          expect(period.status).toBe(400)
        }),
      60_000,
    )

    it.effect(
      "counts every decision in the summary, agreeing with the simulator's ledger",
      () =>
        Effect.gen(function* () {
          const stats = yield* get("/scheduled-calls/stats/summary?period=24h")
          const accepted = (yield* ledger).accepted("call").length
          expect(stats.body).toMatchObject({ period: "24h", placed: accepted, cancelled: 1 })
          expect(stats.body.outcomes).toMatchObject({ completed: 1, busy: 3, failed: 1 })
        }),
      60_000,
    )
  })
})
