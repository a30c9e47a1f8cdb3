import { HttpClientRequest } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Chunk, Context, Effect, Fiber, Layer, Option, Stream } from "effect"
import { CallRegistry } from "../../src/actors/CallRegistry.js"
import { DomainEvents } from "../../src/actors/DomainEvents.js"
import {
  type ConnectRequest,
  type Scenario,
  startExotelConnectPeer,
} from "../../src/sim/streamCaller/ExotelConnectPeer.js"
import { VoiceCallsRepo } from "../../src/store/VoiceCallsRepo.js"
import { asAdmin } from "../support/testGateway.js"
import { VoiceTestGateway } from "../support/voiceGateway.js"
import { eventually, type ReceivedWebhook, webhookReceiver } from "../support/webhookReceiver.js"

const scenarios: Record<string, Scenario> = {
  "+919800000001": {
    kind: "answer",
    script: {
      digits: [
        { atMs: 400, digit: "1" },
        { atMs: 700, digit: "3" },
        { atMs: 900, digit: "0" },
      ],
      maxMs: 20_000,
    },
  },
  "+919800000002": {
    kind: "answer",
    script: {
      digits: [
        { atMs: 400, digit: "2" },
        { atMs: 800, digit: "3" },
      ],
      maxMs: 20_000,
    },
  },
  // As "…02", but the StreamUrl's query (callId, token) reaches the gateway only in start.custom_parameters.
  "+919800000007": {
    kind: "answer",
    queryInStartOnly: true,
    script: {
      digits: [
        { atMs: 400, digit: "2" },
        { atMs: 800, digit: "3" },
      ],
      maxMs: 20_000,
    },
  },
  "+919800000003": { kind: "no-answer" },
  "+919800000004": { kind: "busy" },
  "+919800000005": { kind: "answer", script: { hangupAtMs: 250, maxMs: 20_000 } },
  // Accepts, then types the prep time slowly: the test kills the session in between.
  "+919800000006": {
    kind: "answer",
    script: {
      digits: [
        { atMs: 300, digit: "1" },
        { atMs: 1500, digit: "4" },
        { atMs: 1600, digit: "5" },
        { atMs: 1700, digit: "#" },
      ],
      maxMs: 20_000,
    },
  },
}

/** The 200-call test's numbers end in 0 (accept), 1 (reject) or 2 (busy) modulo 3. */
const bulkScenario = (phone: string): Scenario => {
  const kind = (Number(phone.slice(-8)) - 10_000_000) % 3
  if (kind === 2) return { kind: "busy" }
  const digits =
    kind === 0
      ? [
          { atMs: 200, digit: "1" },
          { atMs: 400, digit: "2" },
          { atMs: 500, digit: "0" },
          { atMs: 600, digit: "#" },
        ]
      : [
          { atMs: 200, digit: "2" },
          { atMs: 400, digit: "2" },
        ]
  return { kind: "answer", script: { digits, maxMs: 30_000 } }
}

class Peers extends Context.Tag("Peers")<
  Peers,
  { readonly webhooks: Array<ReceivedWebhook>; readonly calls: Array<Promise<unknown>> }
>() {}

const Gateway = Layer.unwrapScoped(
  Effect.gen(function* () {
    const peer = yield* Effect.acquireRelease(
      Effect.promise(() =>
        startExotelConnectPeer((r: ConnectRequest) => scenarios[r.from] ?? bulkScenario(r.from)),
      ),
      (p) => Effect.promise(p.close),
    )
    const hooks = yield* webhookReceiver()
    return Layer.merge(
      // 200 vendors called at once measure the voice flows, not the account's budget: the peer keeps no limit,
      // and neither does the gateway here (the budget has tests of its own).
      VoiceTestGateway(
        () => ({ exotelServiceUrl: Option.some(peer.url), rateLimitPerMinute: Option.some(0) }),
        {
          webhookUrls: [hooks.url],
        },
      ),
      Layer.succeed(Peers, { webhooks: hooks.received, calls: peer.calls }),
    )
  }),
)

const confirm = (orderId: number, vendorPhone: string) =>
  Effect.gen(function* () {
    const admin = yield* asAdmin
    const response = yield* admin.execute(
      HttpClientRequest.post("/api/exotel/nerve/vendor/confirm").pipe(
        HttpClientRequest.bodyUnsafeJson({
          orderId,
          vendorId: 67,
          vendorPhone,
          vendorName: "Sharma Dhaba",
          orderAmount: 450,
          itemCount: 3,
          language: "hi",
        }),
      ),
    )
    expect(response.status).toBe(200)
    const body = yield* response.json
    expect(body).toMatchObject({ status: "initiated", message: "Call initiated" })
    return body as { callId: string; callSid: string }
  })

const finalRow = (orderId: number) =>
  Effect.gen(function* () {
    const admin = yield* asAdmin
    return yield* eventually(
      admin.get(`/api/exotel/nerve/calls/order/${orderId}`).pipe(
        Effect.flatMap((r) => r.json),
        Effect.map((b) => (b as { calls: Array<Record<string, unknown>> }).calls[0] ?? {}),
        Effect.orDie,
      ),
      (row) => typeof row.endedAt === "string",
    )
  })

layer(Gateway, { timeout: 90_000, excludeTestServices: true })(
  "vendor confirmation end to end, built-in mode",
  (it) => {
    it.effect("a stream whose credential comes only in its start's custom parameters runs its call", () =>
      Effect.gen(function* () {
        const { callId } = yield* confirm(12360, "919800000007")
        expect(yield* finalRow(12360)).toMatchObject({
          id: callId,
          status: "rejected",
          rejectionReason: "too_busy",
        })
      }),
    )

    it.effect(
      "1, then 30 and 3 s of silence: the row, its log, VENDOR_ACCEPTED and the webhook all agree",
      () =>
        Effect.scoped(
          Effect.gen(function* () {
            const events = yield* (yield* DomainEvents).subscribe
            const collected = yield* Effect.fork(Stream.runCollect(Stream.take(events, 2)))
            const { callId, callSid } = yield* confirm(12345, "919800000001")
            const row = yield* finalRow(12345)
            expect(row).toMatchObject({
              id: callId,
              callSid,
              callType: "vendor_confirmation",
              status: "prep_time_set",
              prepTimeMinutes: 30,
              dtmfDigits: "130",
              phoneNumber: "+919800000001",
              vendorId: 67,
              attempts: [
                {
                  attempt: 1,
                  callSid,
                  status: "completed",
                  outcome: "prep_time_set",
                  startedAt: expect.any(String),
                  endedAt: expect.any(String),
                },
              ],
            })
            const published = Chunk.toReadonlyArray(yield* Fiber.join(collected))
            expect(published.map((e) => e.type)).toEqual(["VENDOR_ACCEPTED", "VENDOR_PREP_TIME_SET"])
            expect(published[1]).toMatchObject({ orderId: 12345, prepTimeMinutes: 30, callId })
            const log = yield* (yield* VoiceCallsRepo).events(callId)
            expect(log.filter((e) => e.applied).map((e) => e.statusAfter)).toEqual([
              "initiated",
              "answered",
              "accepted",
              "accepted",
              "accepted",
              "prep_time_set",
            ])
            const { webhooks } = yield* Peers
            const delivered = yield* eventually(
              Effect.sync(() => webhooks.filter((w) => w.eventId.startsWith(callId))),
              (w) => w.length === 2,
            )
            expect(delivered.map((w) => w.eventId).sort()).toEqual([
              `${callId}:1:VENDOR_ACCEPTED`,
              `${callId}:1:VENDOR_PREP_TIME_SET`,
            ])
          }),
        ),
    )

    it.effect("2, then reason 3: rejected as too busy, VENDOR_REJECTED delivered", () =>
      Effect.gen(function* () {
        const { callId } = yield* confirm(12346, "+919800000002")
        const row = yield* finalRow(12346)
        expect(row).toMatchObject({ status: "rejected", rejectionReason: "too_busy", prepTimeMinutes: null })
        const { webhooks } = yield* Peers
        const delivered = yield* eventually(
          Effect.sync(() => webhooks.filter((w) => w.eventId.startsWith(callId))),
          (w) => w.length === 1,
        )
        expect(delivered[0]?.body).toMatchObject({
          type: "VENDOR_REJECTED",
          reason: "too_busy",
          orderId: 12346,
        })
      }),
    )

    it.effect("no answer: no_response, and a retry scheduled with the policy's backoff", () =>
      Effect.gen(function* () {
        const { callId } = yield* confirm(12347, "+919800000003")
        const row = yield* finalRow(12347)
        expect(row).toMatchObject({
          status: "no_response",
          attemptNumber: 1,
          attempts: [{ attempt: 1, status: "no_response", outcome: "no_response" }],
        })
        const stored = yield* (yield* VoiceCallsRepo).find(callId)
        expect(Option.map(stored, (s) => s.flow.status)).toEqual(Option.some("no_response"))
        const { webhooks } = yield* Peers
        expect(webhooks.filter((w) => w.eventId.startsWith(callId))).toEqual([])
      }),
    )

    it.effect("busy: the call ends busy", () =>
      Effect.gen(function* () {
        yield* confirm(12348, "+919800000004")
        expect(yield* finalRow(12348)).toMatchObject({ status: "busy" })
      }),
    )

    it.effect("hang-up mid-prompt: failed, and VOICE_CALL_FAILED since a hang-up is not retried", () =>
      Effect.gen(function* () {
        const { callId } = yield* confirm(12349, "+919800000005")
        expect(yield* finalRow(12349)).toMatchObject({ status: "failed" })
        const { webhooks } = yield* Peers
        const delivered = yield* eventually(
          Effect.sync(() => webhooks.filter((w) => w.eventId.startsWith(callId))),
          (w) => w.length === 1,
        )
        expect(delivered[0]?.body).toMatchObject({ type: "VOICE_CALL_FAILED" })
      }),
    )

    it.effect("killing a session's fiber restarts it from its persisted state, and the call goes on", () =>
      Effect.gen(function* () {
        const registry = yield* CallRegistry
        const repo = yield* VoiceCallsRepo
        const { callId } = yield* confirm(12351, "+919800000006")
        yield* eventually(
          Effect.map(repo.find(callId), (s) => Option.map(s, (c) => c.flow.step)),
          (step) => Option.getOrNull(step) === "prep_time",
        )
        expect(yield* registry.kill(callId)).toBe(true)
        const row = yield* finalRow(12351)
        expect(row).toMatchObject({ status: "prep_time_set", prepTimeMinutes: 45 })
      }),
    )

    it.effect(
      "200 concurrent calls each end in the right state, and the registry is empty afterwards",
      () =>
        Effect.gen(function* () {
          const outcomes = ["accept", "reject", "busy"] as const
          const placed = yield* Effect.forEach(
            Array.from({ length: 200 }, (_, i) => i),
            (i) => {
              const kind = outcomes[i % 3] ?? "busy"
              const phone = `+9197${String(10_000_000 + i * 3 + outcomes.indexOf(kind)).padStart(8, "0")}`
              return Effect.as(confirm(50_000 + i, phone), { kind, orderId: 50_000 + i })
            },
            { concurrency: "unbounded" },
          )
          // One query for all 200, twice a second: per-call polling would starve the embedded database's one connection.
          const sql = yield* SqlClient.SqlClient
          const byOrder = sql<{
            orderId: number
            status: string
            ended: boolean
            prepTimeMinutes: number | null
            rejectionReason: string | null
          }>`
        SELECT order_id, status, ended_at IS NOT NULL AS ended, prep_time_minutes, rejection_reason
        FROM voice_calls WHERE order_id >= 50000 ORDER BY order_id`.pipe(Effect.orDie)
          const rows = yield* eventually(
            Effect.map(byOrder, (all) => placed.map(({ orderId }) => all.find((r) => r.orderId === orderId))),
            (all) => all.every((r) => r?.ended === true),
            60_000,
          )
          for (const [i, { kind }] of placed.entries()) {
            const row = rows[i]
            if (kind === "accept") expect(row).toMatchObject({ status: "prep_time_set", prepTimeMinutes: 20 })
            if (kind === "reject")
              expect(row).toMatchObject({ status: "rejected", rejectionReason: "shop_closed" })
            if (kind === "busy") expect(row).toMatchObject({ status: "busy" })
          }
          const registry = yield* CallRegistry
          expect(yield* eventually(registry.size, (n) => n === 0, 15_000)).toBe(0)
        }),
      120_000,
    )

    it.effect("a duplicate status callback changes nothing, and every session has ended", () =>
      Effect.gen(function* () {
        const { callId, callSid } = yield* confirm(12350, "+919800000004")
        yield* finalRow(12350)
        const admin = yield* asAdmin
        const post = admin.execute(
          HttpClientRequest.post("/api/exotel/nerve/exotel-status").pipe(
            HttpClientRequest.bodyUrlParams({
              CallSid: callSid,
              Status: "busy",
              CustomField: callId,
              EventType: "terminal",
            }),
          ),
        )
        const again = yield* Effect.flatMap(post, (r) => r.json)
        expect(again).toEqual({ received: true, applied: false })
        const log = yield* (yield* VoiceCallsRepo).events(callId)
        expect(log.filter((e) => e.event === "hangup:busy")).toHaveLength(1)
        const registry = yield* CallRegistry
        expect(yield* eventually(registry.size, (n) => n === 0)).toBe(0)
      }),
    )
  },
)
