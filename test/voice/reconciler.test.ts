// A voice call whose terminal callback never arrived is ended from Exotel's own record of it.
import { HttpClientRequest } from "@effect/platform"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { reconcileOnce } from "../../src/actors/VoiceCallReconciler.js"
import { SimStreamDialer } from "../../src/sim/exotel/ExotelSimulator.js"
import { VoiceCallsRepo } from "../../src/store/VoiceCallsRepo.js"
import { asAdmin, clientWith, TestGatewayLive } from "../support/testGateway.js"
import { eventually, ledger } from "../support/upstream.js"

// Exotel is told to call back an address that is not this machine: the simulator, which only calls loopback,
// records each callback as undelivered — a lost callback.
// The callee who answers keeps the line open (a call in progress) until the test ends.
const gateway = TestGatewayLive({
  defaultExoPhone: Option.some("08040000000"),
  publicBaseUrl: "http://gateway.invalid",
}).pipe(Layer.provide(Layer.succeed(SimStreamDialer, { dial: () => Effect.never })))

const confirm = (orderId: number, vendorPhone: string) =>
  Effect.flatMap(asAdmin, (admin) =>
    admin
      .execute(
        HttpClientRequest.post("/api/exotel/nerve/vendor/confirm").pipe(
          HttpClientRequest.bodyUnsafeJson({
            orderId,
            vendorId: 1,
            vendorPhone,
            vendorName: "Sharma Dhaba",
            orderAmount: 450,
            itemCount: 3,
          }),
        ),
      )
      .pipe(Effect.flatMap((r) => r.json)),
  ) as Effect.Effect<{ callId: string; callSid: string }>

/**
 * Until the call's row holds its sid and has been quiet a moment: the answer to the request may come before the
 * session's last write, and a row written in the same instant as the look-up is not yet "quiet for 0 seconds".
 */
const settled = (callId: string) =>
  Effect.gen(function* () {
    const repo = yield* VoiceCallsRepo
    yield* eventually(
      repo.find(callId),
      (found) => Option.isSome(found) && found.value.record.callSid !== null,
    )
    yield* Effect.sleep("50 millis")
  })

layer(gateway, { timeout: 60_000, excludeTestServices: true })("reconciling quiet voice calls", (it) => {
  it.effect("ends a call whose busy callback was lost, once; a late callback changes nothing", () =>
    Effect.gen(function* () {
      const { callId, callSid } = yield* confirm(9001, "+919800000991")
      const repo = yield* VoiceCallsRepo
      const lost = (yield* ledger).all().filter((e) => e.kind === "callback" && e.fields.CallSid === callSid)
      expect(lost.every((e) => e.status === 0)).toBe(true)
      expect(Option.map(yield* repo.find(callId), (s) => s.record.status)).toEqual(Option.some("initiated"))

      yield* settled(callId)
      expect(yield* reconcileOnce("0 seconds")).toBe(1)
      const ended = yield* repo.find(callId)
      expect(Option.map(ended, (s) => [s.record.status, s.record.endedAt !== null])).toEqual(
        Option.some(["busy", true]),
      )
      // Ended calls are not asked about again.
      expect(yield* reconcileOnce("0 seconds")).toBe(0)

      const late = yield* Effect.flatMap(clientWith(undefined), (client) =>
        client
          .execute(
            HttpClientRequest.post("/api/exotel/nerve/exotel-status").pipe(
              HttpClientRequest.bodyUrlParams({ CallSid: callSid, Status: "busy", EventType: "terminal" }),
            ),
          )
          .pipe(Effect.flatMap((r) => r.json)),
      )
      expect(late).toMatchObject({ received: true, applied: false })
      const log = yield* repo.events(callId)
      expect(log.filter((e) => e.applied && e.statusAfter === "busy")).toHaveLength(1)
    }),
  )

  it.effect("leaves a call Exotel still reports in progress alone", () =>
    Effect.gen(function* () {
      const { callId } = yield* confirm(9002, "+919800000002")
      const repo = yield* VoiceCallsRepo
      yield* settled(callId)
      const before = Option.map(yield* repo.find(callId), (s) => s.record.status)
      expect(yield* reconcileOnce("0 seconds")).toBe(0)
      expect(Option.map(yield* repo.find(callId), (s) => s.record.status)).toEqual(before)
      expect(before).toEqual(Option.some("initiated"))
    }),
  )
})
