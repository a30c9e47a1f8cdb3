// The seed's "Error Handling" section with the gateway as a library: every refusal is a typed error a backend can
// match on. The simulated Exotel picks its answer by the destination's last three digits (README, "Scenarios").
// This file has GatewayTests of its own: the Exotel client's circuit breaker remembers failures, and one runs with
// a feature switched off.
import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import {
  CallNotPlaced,
  Calls,
  Forbidden,
  Messaging,
  ScheduledCalls,
  ServiceUnavailable,
  Unprocessable,
  UpstreamRejected,
  VoiceFlows,
} from "exotel-voice-gateway"
import {
  GatewayTest,
  type GatewayTestOptions,
  type LedgerEntry,
  simulatorLedger,
} from "exotel-voice-gateway/testing"

const agentPhone = "+919876543210"

/** Every request for a call to the number that reached the simulated Exotel, whatever it answered. */
const callsTo = (phone: string) =>
  Effect.map(simulatorLedger, (ledger) =>
    ledger.all().filter((e: LedgerEntry) => e.kind === "call" && e.fields.To === phone),
  )

layer(GatewayTest(), { timeout: 120_000, excludeTestServices: true })("error handling", (it) => {
  it.effect("rate limiting: a 429 is retried after its Retry-After, and the call goes through", () =>
    Effect.gen(function* () {
      const result = yield* (yield* Calls).clickToCall({ agentPhone, customerPhone: "+919123470995" })
      expect(result.status).toBe("initiated")
      expect(yield* callsTo("+919123470995")).toHaveLength(2)
    }),
  )

  it.effect("a number on the NDNC registry: Exotel's refusal is UpstreamRejected, with its status", () =>
    Effect.gen(function* () {
      const refused = yield* Effect.flip(
        (yield* Messaging).sendSms({
          to: "+919123470998",
          message: "Your order ORDER-1 has been confirmed.",
          dltTemplateId: "1207160000000000001",
          dltEntityId: "1201159100000000001",
        }),
      )
      expect(refused).toBeInstanceOf(UpstreamRejected)
      expect(refused).toMatchObject({ upstreamStatus: expect.any(Number) })
    }),
  )

  it.effect("a voice flow whose call Exotel refuses is CallNotPlaced", () =>
    Effect.gen(function* () {
      const refused = yield* Effect.flip(
        (yield* VoiceFlows).confirmVendorOrder({
          orderId: 7001,
          vendorId: 67,
          vendorPhone: "+919876570998",
          vendorName: "Sharma Dhaba",
          orderAmount: 450,
        }),
      )
      expect(refused).toBeInstanceOf(CallNotPlaced)
    }),
  )

  it.effect("a retry configuration that cannot hold is Unprocessable, naming the field", () =>
    Effect.gen(function* () {
      const refused = yield* Effect.flip(
        (yield* ScheduledCalls).schedule({
          phone: "+919123470001",
          purpose: "payment_reminder",
          retryConfig: { initialDelaySeconds: 600, maxDelaySeconds: 60 },
        }),
      )
      expect(refused).toBeInstanceOf(Unprocessable)
      expect(refused).toMatchObject({ field: "retryConfig.maxDelaySeconds" })
    }),
  )

  // Last: the failures it meets count towards opening the client's circuit breaker.
  it.effect("service unavailable: an Exotel that keeps answering 503 is ServiceUnavailable", () =>
    Effect.gen(function* () {
      const refused = yield* Effect.flip(
        (yield* Calls).clickToCall({ agentPhone, customerPhone: "+919123470997" }),
      )
      expect(refused).toBeInstanceOf(ServiceUnavailable)
      // Asked again by the client's own retries before giving up.
      expect((yield* callsTo("+919123470997")).length).toBeGreaterThan(1)
    }),
  )
})

const verifiedCallsOff: GatewayTestOptions = { features: { verifiedCallsEnabled: false } }

layer(GatewayTest(verifiedCallsOff), { timeout: 120_000, excludeTestServices: true })(
  "error handling, with verified calls switched off",
  (it) => {
    it.effect("a feature switched off is Forbidden, and a plain call still goes", () =>
      Effect.gen(function* () {
        const calls = yield* Calls
        const refused = yield* Effect.flip(
          calls.verifiedCall({ phone: "+919123470002", reason: "Order Delivery Update" }),
        )
        expect(refused).toBeInstanceOf(Forbidden)
        const scheduled = yield* Effect.flip(
          (yield* ScheduledCalls).schedule({
            phone: "+919123470002",
            purpose: "order_confirmation",
            useVerifiedCall: true,
          }),
        )
        expect(scheduled).toBeInstanceOf(Forbidden)
        const plain = yield* calls.clickToCall({ agentPhone, customerPhone: "+919123470002" })
        expect(plain.status).toBe("initiated")
      }),
    )
  },
)
