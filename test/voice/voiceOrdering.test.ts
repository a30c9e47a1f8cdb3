import { expect, layer } from "@effect/vitest"
import { Context, Effect, Layer, Option, Stream } from "effect"
import { CallRegistry } from "../../src/actors/CallRegistry.js"
import { DomainEvents } from "../../src/actors/DomainEvents.js"
import type { DomainEvent } from "../../src/domain/VoiceCall.js"
import { playCall } from "../../src/sim/streamCaller/StreamCaller.js"
import { VoiceOrdersRepo } from "../../src/store/VoiceOrdersRepo.js"
import { post } from "../support/upstream.js"
import { VoiceTestGateway } from "../support/voiceGateway.js"
import { eventually, type ReceivedWebhook, webhookReceiver } from "../support/webhookReceiver.js"

class Webhooks extends Context.Tag("Webhooks")<Webhooks, Array<ReceivedWebhook>>() {}

const Gateway = Layer.unwrapScoped(
  Effect.map(webhookReceiver(), (hooks) =>
    Layer.merge(
      VoiceTestGateway(() => ({}), { webhookUrls: [hooks.url] }),
      Layer.succeed(Webhooks, hooks.received),
    ),
  ),
)

const dal = { name: "Dal Makhani", quantity: 2, price: 150 }
const roti = { name: "Roti", quantity: 4, price: 12.5 }

const open = (sessionId: string, items: ReadonlyArray<unknown>) =>
  post("/voice-ordering", { phone: "+919123456789", action: "start", orderData: { items }, sessionId })

/** The stream of a call about this order, announced with POST /voice-stream/start: the URL to dial. */
const announced = (orderSessionId: string) =>
  Effect.map(
    post("/voice-stream/start", {
      sessionId: `stream_${orderSessionId}`,
      phone: "+919123456789",
      language: "en-IN",
      flow: "voice_ordering",
      orderSessionId,
    }),
    (r) => {
      expect(r.status, JSON.stringify(r.body)).toBe(200)
      return String(r.body.wsUrl)
    },
  )

/** Events published for a session, gathered by a subscriber that outlives the call. */
const withEvents = <A, E, R>(sessionId: string, body: Effect.Effect<A, E, R>) =>
  Effect.scoped(
    Effect.gen(function* () {
      const seen: Array<DomainEvent> = []
      const events = yield* (yield* DomainEvents).subscribe
      yield* Effect.forkScoped(
        Stream.runForEach(events, (e) =>
          Effect.sync(() => {
            if ("sessionId" in e && e.sessionId === sessionId) seen.push(e)
          }),
        ),
      )
      const result = yield* body
      return { result, seen }
    }),
  )

layer(Gateway, { timeout: 90_000, excludeTestServices: true })("voice ordering over a live call", (it) => {
  it.effect(
    "start and modify over the API, 1 on the call: the session, ORDER_PLACED, its webhook and the call's log agree; a second confirm is 409",
    () =>
      Effect.gen(function* () {
        expect((yield* open("vo_e2e_1", [dal])).status).toBe(200)
        const modified = yield* post("/voice-ordering", {
          action: "modify",
          sessionId: "vo_e2e_1",
          orderData: { items: [dal, roti], total: 350 },
        })
        expect(modified).toMatchObject({ status: 200, body: { total: 350, version: 2 } })

        const { result: call, seen } = yield* withEvents(
          "vo_e2e_1",
          Effect.flatMap(announced("vo_e2e_1"), (url) =>
            Effect.promise(() =>
              playCall({
                url,
                digits: [{ atMs: 800, digit: "1" }],
                maxMs: 20_000,
              }),
            ),
          ).pipe(Effect.tap(() => Effect.sleep("100 millis"))),
        )
        // The order read back, then the thanks, then the gateway hangs up.
        expect(call.closedBy).toBe("gateway")
        expect(call.marks.at(-1)).toBe("order-Placed")
        expect(call.mediaBytes % 320).toBe(0)

        const repo = yield* VoiceOrdersRepo
        const session = Option.getOrThrow(yield* repo.find("vo_e2e_1"))
        expect(session).toMatchObject({ status: "placed", total: 350, version: 3, callSid: call.callSid })
        expect(session.items).toEqual([dal, roti])

        expect(seen).toHaveLength(1)
        expect(seen[0]).toMatchObject({
          eventId: "vo_e2e_1:ORDER_PLACED",
          type: "ORDER_PLACED",
          total: 350,
          items: [dal, roti],
          channel: "voice",
          callSid: call.callSid,
          phone: "+919123456789",
        })

        const log = yield* repo.log("vo_e2e_1")
        expect(log.map((r) => [r.action, r.channel, r.statusAfter, r.totalAfter])).toEqual([
          ["start", "api", "draft", 300],
          ["modify", "api", "draft", 350],
          ["confirm", "voice", "placed", 350],
        ])
        expect(log[2]).toMatchObject({ callSid: call.callSid, detail: { keys: "1" } })

        const hooks = yield* Webhooks
        yield* eventually(
          Effect.sync(() => hooks.filter((w) => w.eventId === "vo_e2e_1:ORDER_PLACED")),
          (d) => d.length > 0,
        )
        expect(hooks.find((w) => w.eventId === "vo_e2e_1:ORDER_PLACED")?.body).toEqual(seen[0])

        const again = yield* post("/voice-ordering", { action: "confirm", sessionId: "vo_e2e_1" })
        expect(again.status).toBe(409)
        const registry = yield* CallRegistry
        yield* eventually(registry.size, (n) => n === 0)
        expect(yield* registry.size).toBe(0)
      }),
  )

  it.effect("2 on the call changes quantities item by item (3 Dal Makhani, no Roti), then 1 places it", () =>
    Effect.gen(function* () {
      yield* open("vo_e2e_2", [dal, roti])
      const { result: call, seen } = yield* withEvents(
        "vo_e2e_2",
        Effect.flatMap(announced("vo_e2e_2"), (url) =>
          Effect.promise(() =>
            playCall({
              url,
              digits: [
                { atMs: 600, digit: "2" },
                { atMs: 900, digit: "3" },
                { atMs: 1000, digit: "#" },
                { atMs: 1300, digit: "0" },
                { atMs: 1400, digit: "#" },
                { atMs: 1900, digit: "1" },
              ],
              maxMs: 20_000,
            }),
          ),
        ).pipe(Effect.tap(() => Effect.sleep("100 millis"))),
      )
      expect(call.closedBy).toBe("gateway")
      const repo = yield* VoiceOrdersRepo
      const session = Option.getOrThrow(yield* repo.find("vo_e2e_2"))
      expect(session).toMatchObject({ status: "placed", total: 450, items: [{ ...dal, quantity: 3 }] })
      expect(seen.map((e) => [e.type, "total" in e ? e.total : null])).toEqual([["ORDER_PLACED", 450]])
      const log = yield* repo.log("vo_e2e_2")
      expect(log.map((r) => [r.action, r.channel])).toEqual([
        ["start", "api"],
        ["modify", "voice"],
        ["confirm", "voice"],
      ])
    }),
  )

  it.effect("3 on the call cancels: ORDER_CANCELLED, and the order cannot be confirmed afterwards", () =>
    Effect.gen(function* () {
      yield* open("vo_e2e_3", [roti])
      const { seen } = yield* withEvents(
        "vo_e2e_3",
        Effect.flatMap(announced("vo_e2e_3"), (url) =>
          Effect.promise(() =>
            playCall({
              url,
              digits: [{ atMs: 500, digit: "3" }],
              maxMs: 20_000,
            }),
          ),
        ).pipe(Effect.tap(() => Effect.sleep("100 millis"))),
      )
      expect(seen.map((e) => e.type)).toEqual(["ORDER_CANCELLED"])
      expect((yield* post("/voice-ordering", { action: "confirm", sessionId: "vo_e2e_3" })).status).toBe(409)
    }),
  )

  it.effect("a call for an order that is not open is told so and hung up on", () =>
    Effect.gen(function* () {
      const url = yield* announced("vo_nobody")
      const call = yield* Effect.promise(() =>
        playCall({
          url,
          maxMs: 10_000,
        }),
      )
      expect(call.closedBy).toBe("gateway")
      expect(call.marks).toEqual(["order-NotOpen"])
    }),
  )
})
