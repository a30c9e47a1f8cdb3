// The default simulator mode end to end: a vendor confirmation goes out through the Exotel client to the
// in-process simulator, whose simulated vendor dials the voice stream and accepts on the keypad.
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { SimulatedCalleesLive } from "../../src/sim/streamCaller/SimulatedCallees.js"
import { eventually, get, ledger, post } from "../support/upstream.js"
import { VoiceTestGateway } from "../support/voiceGateway.js"

// On a known port: the stream URL handed to the simulator is built from PUBLIC_BASE_URL.
const gateway = VoiceTestGateway().pipe(Layer.provide(SimulatedCalleesLive))

layer(gateway, { timeout: 60_000, excludeTestServices: true })("simulator mode", (it) => {
  it.effect("a vendor confirmation is placed through the Exotel client and accepted with a prep time", () =>
    Effect.gen(function* () {
      const placed = yield* post("/nerve/vendor/confirm", {
        orderId: 4242,
        vendorId: 7,
        vendorPhone: "919876543210",
        vendorName: "Sharma Dhaba",
        orderAmount: 450,
        itemCount: 3,
        language: "en",
      })
      expect(placed.status).toBe(200)
      expect(placed.body.status).toBe("initiated")
      const calls = yield* eventually(
        get("/nerve/calls/order/4242"),
        (r) => JSON.stringify(r.body).includes('"status":"prep_time_set"'),
        "20 seconds",
      )
      expect(calls.body).toMatchObject({
        calls: [
          {
            status: "prep_time_set",
            prepTimeMinutes: 25,
            callSid: placed.body.callSid,
            phoneNumber: "+919876543210",
          },
        ],
      })
      const connects = (yield* ledger)
        .accepted("call")
        .filter((entry) => entry.fields.StreamUrl !== undefined)
      expect(connects).toHaveLength(1)
      expect(connects[0]?.fields).toMatchObject({ From: "+919876543210", StreamType: "bidirectional" })
    }),
  )
})
