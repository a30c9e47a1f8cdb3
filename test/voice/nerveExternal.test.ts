import { HttpClientRequest } from "@effect/platform"
import { expect, layer } from "@effect/vitest"
import { Context, Effect, Layer, Option, Redacted } from "effect"
import { CallRegistry } from "../../src/actors/CallRegistry.js"
import {
  acceptWithPrepTime,
  type NervePlacedCall,
  type NerveScript,
  rejectsWith,
  signBody,
  startNerveSimulator,
  unanswered,
} from "../../src/sim/nerve/NerveSimulator.js"
import { VoiceCallsRepo } from "../../src/store/VoiceCallsRepo.js"
import { endedOrderView, orderViewUntil, statsAgreeWithOrderViews } from "../support/orderViews.js"
import { asAdmin, clientWith } from "../support/testGateway.js"
import { VoiceTestGateway } from "../support/voiceGateway.js"
import { eventually, type ReceivedWebhook, webhookReceiver } from "../support/webhookReceiver.js"

const secret = "nerve-shared-secret-for-tests"

class Sim extends Context.Tag("Sim")<
  Sim,
  { readonly placed: Array<NervePlacedCall>; readonly webhooks: Array<ReceivedWebhook> }
>() {}

const scriptFor = (_path: string, body: Record<string, unknown>): NerveScript => {
  switch (body.orderId) {
    case 700:
      return { ...acceptWithPrepTime(25), duplicate: true }
    case 701:
      return {
        callbacks: [
          { event: "answered" },
          { event: "rejected", status: "rejected", dtmf_digits: "22", rejection_reason: "shop_closed" },
          { event: "completed" },
          { event: "accepted", dtmf_digits: "1" },
        ],
      }
    case 702:
      return {
        callbacks: [
          { event: "ringing" },
          { event: "answered" },
          { event: "accepted", dtmf_digits: "1" },
          { event: "completed" },
        ],
      }
    // Unanswered; the retry answers with the seed's own example callback, everything in one.
    case 704:
      return body.retryOf === undefined
        ? unanswered
        : {
            callbacks: [
              {
                event: "answered",
                status: "accepted",
                dtmf_digits: "1",
                prep_time: 30,
                recording_url: "https://recordings.exotel.com/call_123.mp3",
              },
              { event: "completed" },
            ],
          }
    case 705:
      return rejectsWith("item_unavailable")
    default:
      return { callbacks: [{ event: "ringing" }, { event: "busy" }] }
  }
}

const Gateway = Layer.unwrapScoped(
  Effect.gen(function* () {
    const sim = yield* Effect.acquireRelease(
      Effect.promise(() => startNerveSimulator({ secret, scriptFor })),
      (s) => Effect.promise(s.close),
    )
    const hooks = yield* webhookReceiver(1)
    return Layer.merge(
      VoiceTestGateway(() => ({ nerveSystemUrl: Option.some(sim.url) }), {
        webhookUrls: [hooks.url],
        callbackSecret: Option.some(Redacted.make(secret)),
      }),
      Layer.succeed(Sim, { placed: sim.placed, webhooks: hooks.received }),
    )
  }),
)

const post = (path: string, body: object) =>
  Effect.flatMap(asAdmin, (admin) =>
    admin
      .execute(HttpClientRequest.post(path).pipe(HttpClientRequest.bodyUnsafeJson(body)))
      .pipe(Effect.flatMap((r) => r.json)),
  )

const vendor = (orderId: number) =>
  post("/api/exotel/nerve/vendor/confirm", {
    orderId,
    vendorId: 67,
    vendorPhone: "919876543210",
    vendorName: "Sharma Dhaba",
    orderAmount: 450,
    itemCount: 3,
    language: "hi",
  }) as Effect.Effect<{ callId: string; callSid: string }>

const answersOf = (callSid: string) =>
  Effect.gen(function* () {
    const { placed } = yield* Sim
    const call = placed.find((p) => p.callSid === callSid)
    return yield* Effect.promise(() => call?.answers ?? Promise.resolve([]))
  })

layer(Gateway, { timeout: 60_000, excludeTestServices: true })("Nerve external mode", (it) => {
  it.effect(
    "the Nerve system places the call; its signed callbacks drive the same flow, repeats change nothing",
    () =>
      Effect.gen(function* () {
        const { callId, callSid } = yield* vendor(700)
        const { placed, webhooks } = yield* Sim
        expect(placed.find((p) => p.callSid === callSid)?.body).toMatchObject({
          orderId: 700,
          callId,
          vendorName: "Sharma Dhaba",
        })
        const answers = yield* answersOf(callSid)
        expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200))
        expect(answers.map((a) => (a.body as { applied: boolean }).applied)).toEqual([
          true,
          false,
          true,
          false,
          true,
          false,
          true,
          false,
          false,
          false,
        ])
        const rows = (yield* Effect.flatMap(asAdmin, (c) =>
          c.get("/api/exotel/nerve/calls/order/700").pipe(Effect.flatMap((r) => r.json)),
        )) as {
          calls: Array<Record<string, unknown>>
        }
        expect(rows.calls[0]).toMatchObject({
          status: "prep_time_set",
          prepTimeMinutes: 25,
          callSid,
          recordingUrl: "https://recordings.exotel.com/call_sim.mp3",
        })
        const delivered = yield* eventually(
          Effect.sync(() => webhooks.filter((w) => w.eventId.startsWith(callId))),
          (w) => w.length === 2,
        )
        expect(delivered.map((w) => (w.body as { type: string }).type).sort()).toEqual([
          "VENDOR_ACCEPTED",
          "VENDOR_PREP_TIME_SET",
        ])
      }),
  )

  it.effect("an event for a finished call is recorded, not applied", () =>
    Effect.gen(function* () {
      const { callId, callSid } = yield* vendor(701)
      const answers = yield* answersOf(callSid)
      expect(answers.map((a) => (a.body as { applied: boolean }).applied)).toEqual([true, true, false, false])
      const log = yield* (yield* VoiceCallsRepo).events(callId)
      expect(log.at(-1)).toMatchObject({ applied: false, statusAfter: "rejected" })
      const row = yield* (yield* VoiceCallsRepo).find(callId)
      expect(Option.map(row, (r) => [r.record.status, r.record.rejectionReason])).toEqual(
        Option.some(["rejected", "shop_closed"]),
      )
    }),
  )

  it.effect("a rider accepts: RIDER_ACCEPTED", () =>
    Effect.gen(function* () {
      const { callId, callSid } = (yield* post("/api/exotel/nerve/rider/assign", {
        orderId: 702,
        riderId: 89,
        riderPhone: "919876543210",
        riderName: "Ramesh",
        vendorName: "Sharma Dhaba",
        vendorAddress: "Near SBI Bank, Main Road",
        estimatedAmount: 35,
      })) as { callId: string; callSid: string }
      yield* answersOf(callSid)
      const { webhooks } = yield* Sim
      const delivered = yield* eventually(
        Effect.sync(() => webhooks.filter((w) => w.eventId.startsWith(callId))),
        (w) => w.length === 1,
      )
      expect(delivered[0]?.body).toMatchObject({ type: "RIDER_ACCEPTED", riderId: 89, orderId: 702 })
    }),
  )

  it.effect("a callback with a wrong signature is refused", () =>
    Effect.gen(function* () {
      const { callId } = yield* vendor(703)
      const body = JSON.stringify({ call_id: callId, event: "accepted" })
      const client = yield* clientWith(undefined)
      const forged = yield* client.execute(
        HttpClientRequest.post("/api/exotel/nerve/callback").pipe(
          HttpClientRequest.setHeader("x-nerve-signature", signBody("not-the-secret", body)),
          HttpClientRequest.bodyText(body, "application/json"),
        ),
      )
      expect(forged.status).toBe(401)
      const unsigned = yield* client.execute(
        HttpClientRequest.post("/api/exotel/nerve/callback").pipe(
          HttpClientRequest.bodyText(body, "application/json"),
        ),
      )
      expect(unsigned.status).toBe(401)
    }),
  )

  it.effect("health pings the Nerve system; stats count decisions; the registry empties", () =>
    Effect.gen(function* () {
      const admin = yield* asAdmin
      const health = yield* admin.get("/api/exotel/nerve/health").pipe(Effect.flatMap((r) => r.json))
      expect(health).toMatchObject({ mode: "external", healthy: true })
      const stats = yield* admin
        .get("/api/exotel/nerve/calls/stats?period=24h")
        .pipe(Effect.flatMap((r) => r.json))
      expect(stats).toMatchObject({ period: "24h", accepted: 2, rejected: 1 })
      const registry = yield* CallRegistry
      expect(yield* eventually(registry.size, (n) => n === 0)).toBe(0)
    }),
  )

  it.effect(
    "no response, then a retry answered with the seed's example callback: accepted with 30 minutes, both attempts listed",
    () =>
      Effect.gen(function* () {
        const { callId, callSid } = yield* vendor(704)
        yield* answersOf(callSid)
        const first = yield* endedOrderView(704)
        expect(first.calls[0]).toMatchObject({ status: "no_response" })
        const retried = (yield* post(`/api/exotel/nerve/calls/${callId}/retry`, {})) as { callSid: string }
        expect(retried.callSid).not.toBe(callSid)
        yield* answersOf(retried.callSid)
        const view = yield* orderViewUntil(
          704,
          (v) => v.calls[0]?.endedAt !== null && v.calls[0]?.attemptNumber === 2,
        )
        expect(view.vendor).toMatchObject({
          callId,
          decision: "accepted",
          prepTimeMinutes: 30,
          status: "prep_time_set",
        })
        expect(view.calls[0]?.recordingUrl).toBe("https://recordings.exotel.com/call_123.mp3")
        expect(view.calls[0]?.attempts).toMatchObject([
          { attempt: 1, callSid, status: "no_response", outcome: "no_response" },
          { attempt: 2, callSid: retried.callSid, status: "completed", outcome: "prep_time_set" },
        ])
      }),
  )

  it.effect("a rejection with its reason: the order reads rejected, item unavailable", () =>
    Effect.gen(function* () {
      const { callSid } = yield* vendor(705)
      yield* answersOf(callSid)
      const view = yield* endedOrderView(705)
      expect(view.vendor).toMatchObject({
        decision: "rejected",
        rejectionReason: "item_unavailable",
        status: "rejected",
      })
      expect(view.calls[0]?.attempts).toMatchObject([
        { attempt: 1, callSid, status: "completed", outcome: "rejected" },
      ])
    }),
  )

  it.effect("the statistics agree with every order's view", () =>
    Effect.gen(function* () {
      const registry = yield* CallRegistry
      yield* eventually(registry.size, (n) => n === 0)
      const { stats } = yield* statsAgreeWithOrderViews
      expect(stats).toMatchObject({ accepted: 3, rejected: 2, attempts: { total: 7, callsRetried: 1 } })
    }),
  )
})
