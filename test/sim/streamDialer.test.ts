import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option, Queue } from "effect"
import { SimStreamDialer, type StreamedCall } from "../../src/sim/exotel/ExotelSimulator.js"
import { TestGatewayLive } from "../support/testGateway.js"
import { post } from "../support/upstream.js"

// The seam for live voice sessions: a Connect Voice AI call that reaches the simulator is handed to the dialer.
const dialed = Effect.runSync(Queue.unbounded<StreamedCall>())

const gateway = TestGatewayLive({ defaultExoPhone: Option.some("08040000000") }).pipe(
  Layer.provide(Layer.succeed(SimStreamDialer, { dial: (call) => Queue.offer(dialed, call) })),
)

layer(gateway, { timeout: 60_000, excludeTestServices: true })("SimStreamDialer", (it) => {
  it.effect("receives each streamed call with its sid, numbers, stream URL and custom field", () =>
    Effect.gen(function* () {
      const answer = yield* post("/verified-calls", { phone: "+919123700001", reason: "Order update" })
      expect(answer.status).toBe(200)
      const call = yield* Queue.take(dialed).pipe(Effect.timeout("5 seconds"))
      expect(call).toMatchObject({
        callSid: answer.body.callSid,
        accountSid: "simulator",
        from: "+919123700001",
        callerId: "08040000000",
        customField: "Order update",
        streamUrl: expect.stringMatching(/\/api\/exotel\/voice-stream\?callId=call_/),
      })
    }),
  )

  it.effect(
    "is not called for a plain click-to-call, nor for a streamed call the callee does not answer",
    () =>
      Effect.gen(function* () {
        yield* post("/click-to-call", { agentPhone: "+919876500001", customerPhone: "+919123700002" })
        yield* post("/verified-calls", { phone: "+919123456991", reason: "busy line" })
        yield* Effect.sleep("200 millis")
        expect(yield* Queue.size(dialed)).toBe(0)
      }),
  )
})
