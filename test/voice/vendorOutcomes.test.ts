// Built-in mode, end to end over real HTTP and WebSocket: what a vendor or rider keyed is on the record where the
// order system looks — the call's status, the order's answer at a glance, every attempt — and the statistics
// say the same.
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import {
  type ConnectRequest,
  type Scenario,
  startExotelConnectPeer,
} from "../../src/sim/streamCaller/ExotelConnectPeer.js"
import { endedOrderView, orderViewUntil, statsAgreeWithOrderViews } from "../support/orderViews.js"
import { post, put } from "../support/upstream.js"
import { VoiceTestGateway } from "../support/voiceGateway.js"

const keys = (...pressed: ReadonlyArray<string>): Scenario => ({
  kind: "answer",
  script: { digits: pressed.map((digit, i) => ({ atMs: 300 + i * 150, digit })), maxMs: 20_000 },
})

/** Each number's callee, attempt by attempt (the last one repeats). */
const callees: Record<string, ReadonlyArray<Scenario>> = {
  "+919810000001": [keys("1", "3", "0", "#")],
  "+919810000002": [keys("2", "2")],
  "+919810000003": [{ kind: "no-answer" }, keys("1", "1", "5", "#")],
  "+919810000004": [{ kind: "busy" }],
  "+919810000005": [
    { kind: "answer", script: { digits: [{ atMs: 300, digit: "1" }], hangupAtMs: 700, maxMs: 20_000 } },
  ],
  "+919810000006": [keys("1")],
}

const Gateway = Layer.unwrapScoped(
  Effect.gen(function* () {
    const dialled = new Map<string, number>()
    const scenarioFor = (r: ConnectRequest): Scenario => {
      const n = dialled.get(r.from) ?? 0
      dialled.set(r.from, n + 1)
      const plan = callees[r.from] ?? [{ kind: "busy" }]
      return plan[Math.min(n, plan.length - 1)] ?? { kind: "busy" }
    }
    const peer = yield* Effect.acquireRelease(
      Effect.promise(() => startExotelConnectPeer(scenarioFor)),
      (p) => Effect.promise(p.close),
    )
    return VoiceTestGateway(() => ({ exotelServiceUrl: Option.some(peer.url) }))
  }),
)

/** Two attempts, a second after the first: a no-answer or a busy line is retried within the test. */
const retryQuickly = put("/config/retry", {
  maxAttempts: 2,
  initialDelaySeconds: 1,
  backoffMultiplier: 1,
  maxDelaySeconds: 1,
  retryOnBusy: true,
  retryOnNoAnswer: true,
  retryOnNetworkError: true,
  jitter: 0,
}).pipe(Effect.tap((r) => expect(r.status).toBe(200)))

const confirm = (orderId: number, vendorPhone: string) =>
  post("/nerve/vendor/confirm", {
    orderId,
    vendorId: 67,
    vendorPhone,
    vendorName: "Sharma Dhaba",
    orderAmount: 450,
    itemCount: 3,
  }).pipe(Effect.tap((r) => expect(r.status, JSON.stringify(r.body)).toBe(200)))

const attemptsOf = (view: { readonly calls: ReadonlyArray<{ readonly attempts: ReadonlyArray<object> }> }) =>
  view.calls.flatMap((c) => c.attempts)

layer(Gateway, { timeout: 120_000, excludeTestServices: true })(
  "vendor and rider outcomes, built-in mode",
  (it) => {
    it.effect("1, then 30#: the call ends prep_time_set, and the order reads accepted with 30 minutes", () =>
      Effect.gen(function* () {
        yield* retryQuickly
        yield* confirm(8101, "+919810000001")
        const view = yield* endedOrderView(8101)
        expect(view.vendor).toMatchObject({
          decision: "accepted",
          prepTimeMinutes: 30,
          status: "prep_time_set",
        })
        expect(view.calls[0]).toMatchObject({
          status: "prep_time_set",
          prepTimeMinutes: 30,
          attemptNumber: 1,
        })
        expect(attemptsOf(view)).toEqual([
          {
            attempt: 1,
            callSid: view.calls[0]?.callSid,
            status: "completed",
            outcome: "prep_time_set",
            startedAt: expect.any(Date),
            endedAt: expect.any(Date),
          },
        ])
        expect(view.rider).toBeNull()
      }),
    )

    it.effect(
      "2, then reason 2: the call ends rejected, and the order reads rejected as the shop is closed",
      () =>
        Effect.gen(function* () {
          yield* confirm(8102, "+919810000002")
          const view = yield* endedOrderView(8102)
          expect(view.vendor).toMatchObject({
            decision: "rejected",
            rejectionReason: "shop_closed",
            prepTimeMinutes: null,
            status: "rejected",
          })
          expect(attemptsOf(view)).toMatchObject([{ attempt: 1, status: "completed", outcome: "rejected" }])
        }),
    )

    it.effect(
      "no answer, then the retry answers 1 and 15#: both attempts are listed, the first as no_response",
      () =>
        Effect.gen(function* () {
          yield* retryQuickly
          yield* confirm(8103, "+919810000003")
          const wait = yield* orderViewUntil(8103, (v) => v.calls[0]?.status === "prep_time_set", 30_000)
          expect(wait.vendor).toMatchObject({ decision: "accepted", prepTimeMinutes: 15 })
          const attempts = attemptsOf(wait)
          expect(attempts).toMatchObject([
            { attempt: 1, status: "no_response", outcome: "no_response", endedAt: expect.any(Date) },
            { attempt: 2, status: "completed", outcome: "prep_time_set", endedAt: expect.any(Date) },
          ])
          const [first, second] = wait.calls[0]?.attempts ?? []
          // Each attempt was its own call on Exotel.
          expect(first?.callSid).not.toBeNull()
          expect(second?.callSid).not.toBe(first?.callSid)
          expect(second?.callSid).toBe(wait.calls[0]?.callSid)
          expect(Number(second?.startedAt)).toBeGreaterThanOrEqual(Number(first?.endedAt))
        }),
    )

    it.effect("busy twice: the call ends busy with both attempts, and the order has no decision yet", () =>
      Effect.gen(function* () {
        yield* retryQuickly
        yield* confirm(8104, "+919810000004")
        const view = yield* orderViewUntil(
          8104,
          (v) => v.calls[0]?.attempts.length === 2 && v.calls[0]?.endedAt !== null,
          30_000,
        )
        expect(view.vendor).toMatchObject({ decision: null, status: "busy" })
        expect(attemptsOf(view)).toMatchObject([
          { attempt: 1, status: "busy", outcome: "busy" },
          { attempt: 2, status: "busy", outcome: "busy" },
        ])
      }),
    )

    it.effect("1, then a hang-up before any prep time: the order stays accepted, with no prep time", () =>
      Effect.gen(function* () {
        yield* confirm(8105, "+919810000005")
        const view = yield* endedOrderView(8105)
        expect(view.vendor).toMatchObject({ decision: "accepted", prepTimeMinutes: null, status: "accepted" })
        expect(attemptsOf(view)).toMatchObject([{ attempt: 1, status: "completed", outcome: "accepted" }])
      }),
    )

    it.effect("a rider who presses 1: the order's rider answer is accepted", () =>
      Effect.gen(function* () {
        const placed = yield* post("/nerve/rider/assign", {
          orderId: 8101,
          riderId: 89,
          riderPhone: "+919810000006",
          riderName: "Ramesh",
          vendorName: "Sharma Dhaba",
          vendorAddress: "Near SBI Bank, Main Road",
        })
        expect(placed.status).toBe(200)
        const view = yield* endedOrderView(8101)
        expect(view.rider).toMatchObject({ decision: "accepted", riderId: 89, status: "accepted" })
        expect(view.vendor).toMatchObject({ decision: "accepted", prepTimeMinutes: 30 })
      }),
    )

    it.effect("the statistics agree with every order's view", () =>
      Effect.gen(function* () {
        const { stats } = yield* statsAgreeWithOrderViews
        expect(stats).toMatchObject({
          total: 6,
          byStatus: { prep_time_set: 2, rejected: 1, busy: 1, accepted: 2 },
          accepted: 4,
          rejected: 1,
          attempts: {
            total: 8,
            callsRetried: 2,
          },
        })
      }),
    )
  },
)
