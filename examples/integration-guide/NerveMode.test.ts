// Steps 5 and 6 of the Integration Guide in the NERVE_SYSTEM_URL mode: the gateway asks the Nerve system to place
// the call and follows its signed callbacks. GatewayTest runs the Nerve simulator in-process; the test scripts
// what the vendor or rider does on it.
import { expect, layer } from "@effect/vitest"
import { Effect, Queue } from "effect"
import { type CallEvent, handleEvents, VoiceFlows } from "exotel-voice-gateway"
import {
  accepts,
  acceptWithPrepTime,
  GatewayTest,
  type GatewayTestOptions,
  type NerveCall,
  type NerveScript,
  rejectsWith,
  type SimulatedCallback,
  SimulatedNerve,
  type SimulatedNerveShape,
  simulatorLedger,
  unanswered,
} from "exotel-voice-gateway/testing"

const vendorOrder = (orderId: number, vendorPhone: string) => ({
  orderId,
  vendorId: 67,
  vendorPhone,
  vendorName: "Sharma Dhaba",
  orderAmount: 450,
  language: "hi" as const,
})

/** The call Nerve was asked to place for the order, if any. */
const placedFor = (nerve: SimulatedNerveShape, orderId: number): Effect.Effect<NerveCall | undefined> =>
  Effect.map(nerve.placed, (calls) => calls.find((c) => c.body.orderId === orderId))

/** The events of one order, in the order they came. */
const eventsOf = (received: Queue.Queue<CallEvent>, orderId: number, count: number) =>
  Effect.gen(function* () {
    const mine: Array<CallEvent> = []
    while (mine.length < count) {
      const event = yield* Queue.take(received)
      if (event.orderId === orderId) mine.push(event)
    }
    return mine
  })

const nerveMode: GatewayTestOptions = { voiceFlows: "nerve" }

layer(GatewayTest(nerveMode), { timeout: 120_000, excludeTestServices: true })(
  "the Integration Guide, with the Nerve system placing the calls",
  (it) => {
    it.effect("5 and 6. Nerve places the vendor's call; its signed callbacks become the order's events", () =>
      Effect.gen(function* () {
        const received = yield* Queue.unbounded<CallEvent>()
        yield* handleEvents({
          VENDOR_ACCEPTED: (event) => Queue.offer(received, event),
          VENDOR_PREP_TIME_SET: (event) => Queue.offer(received, event),
        })
        const nerve = yield* SimulatedNerve
        yield* nerve.program("+919876500067", acceptWithPrepTime(25))
        const started = yield* (yield* VoiceFlows).confirmVendorOrder(vendorOrder(6001, "+919876500067"))
        const [accepted, prepTime] = yield* eventsOf(received, 6001, 2)
        expect([accepted?.type, prepTime?.type]).toEqual(["VENDOR_ACCEPTED", "VENDOR_PREP_TIME_SET"])
        expect(prepTime).toMatchObject({ vendorId: 67, prepTimeMinutes: 25 })

        // Nerve was asked with the seed's body, and the gateway took every signed callback.
        const call = yield* placedFor(nerve, 6001)
        expect(call).toMatchObject({
          path: "/calls/vendor-confirm",
          callSid: started.callSid,
          body: { vendorName: "Sharma Dhaba", callId: started.callId },
        })
        const answers = yield* call?.answers ?? Effect.succeed([])
        expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200])
        // Nothing went through Exotel: Nerve placed the call.
        expect((yield* simulatorLedger).accepted("call")).toEqual([])
        const calls = yield* (yield* VoiceFlows).callsForOrder(6001)
        expect(calls.map((c) => [c.status, c.prepTimeMinutes])).toEqual([["prep_time_set", 25]])
      }).pipe(Effect.scoped),
    )

    it.effect("Nerve sends every callback twice, as a retrying sender does: each is applied once", () =>
      Effect.gen(function* () {
        const received = yield* Queue.unbounded<CallEvent>()
        yield* handleEvents({ VENDOR_PREP_TIME_SET: (event) => Queue.offer(received, event) })
        const nerve = yield* SimulatedNerve
        const answered: SimulatedCallback = { event: "answered" }
        const script: NerveScript = {
          callbacks: [
            answered,
            { event: "accepted", status: "accepted", dtmf_digits: "1" },
            { event: "prep_time_set", status: "accepted", prep_time: 40, dtmf_digits: "140#" },
            { event: "completed" },
          ],
          duplicate: true,
        }
        yield* nerve.program("+919876500069", script)
        yield* (yield* VoiceFlows).confirmVendorOrder(vendorOrder(6005, "+919876500069"))
        const call = yield* placedFor(nerve, 6005)
        const answers = yield* call?.answers ?? Effect.succeed([])
        const applied = answers.map((a) =>
          typeof a.body === "object" && a.body !== null && "applied" in a.body ? a.body.applied : undefined,
        )
        // Each repeat changes nothing; nor does "completed": the prep time already ended the flow.
        expect(applied).toEqual([true, false, true, false, true, false, false, false])
        const [prepTime] = yield* eventsOf(received, 6005, 1)
        expect(prepTime).toMatchObject({ prepTimeMinutes: 40 })
        expect(yield* Queue.size(received)).toBe(0)
      }).pipe(Effect.scoped),
    )

    it.effect("a vendor who rejects on Nerve gives VENDOR_REJECTED with the reason", () =>
      Effect.gen(function* () {
        const received = yield* Queue.unbounded<CallEvent>()
        yield* handleEvents({ VENDOR_REJECTED: (event) => Queue.offer(received, event) })
        yield* (yield* SimulatedNerve).program("+919876500068", rejectsWith("shop_closed"))
        yield* (yield* VoiceFlows).confirmVendorOrder(vendorOrder(6002, "+919876500068"))
        const [rejected] = yield* eventsOf(received, 6002, 1)
        expect(rejected).toMatchObject({ type: "VENDOR_REJECTED", reason: "shop_closed" })
      }).pipe(Effect.scoped),
    )

    it.effect(
      "a rider who accepts on Nerve gives RIDER_ACCEPTED; an unanswered call is recorded as no response",
      () =>
        Effect.gen(function* () {
          const received = yield* Queue.unbounded<CallEvent>()
          yield* handleEvents({ RIDER_ACCEPTED: (event) => Queue.offer(received, event) })
          const nerve = yield* SimulatedNerve
          yield* nerve.program("+919876500089", accepts)
          yield* nerve.program("+919876500090", unanswered)
          const flows = yield* VoiceFlows
          const rider = (orderId: number, riderPhone: string) =>
            flows.assignRider({
              orderId,
              riderId: 89,
              riderPhone,
              riderName: "Ramesh",
              vendorName: "Sharma Dhaba",
              vendorAddress: "Near SBI Bank, Main Road",
            })
          const silent = yield* rider(6004, "+919876500090")
          yield* rider(6003, "+919876500089")
          const [assigned] = yield* eventsOf(received, 6003, 1)
          expect(assigned).toMatchObject({ type: "RIDER_ACCEPTED", riderId: 89 })
          const unansweredCall = (yield* nerve.placed).find((c) => c.callSid === silent.callSid)
          yield* unansweredCall?.answers ?? Effect.void
          const [record] = yield* flows.callsForOrder(6004)
          expect(record?.status).toBe("no_response")
        }).pipe(Effect.scoped),
    )
  },
)
