// Barge-in on speech (issue 15): in a flow that allows it, a vendor who starts talking over the offer cuts it
// off (the gateway sends `clear`, as for a key), counted and logged; line noise does not, and a flow that does
// not allow it plays on. The caller's speech is the engine's own, sent as the caller's audio over a real socket.
import { HttpClientRequest } from "@effect/platform"
import { expect, layer } from "@effect/vitest"
import { Context, Effect, Layer, Metric, Option } from "effect"
import { bargeIns } from "../../src/actors/SessionVoice.js"
import {
  type ConnectedCall,
  type ConnectRequest,
  type Scenario,
  startExotelConnectPeer,
} from "../../src/sim/streamCaller/ExotelConnectPeer.js"
import { makeEspeakPool } from "../../src/stream/speech/EspeakPool.js"
import { sentencesOf } from "../../src/stream/speech/espeakText.js"
import { asAdmin } from "../support/testGateway.js"
import { eventually } from "../support/upstream.js"
import { VoiceTestGateway } from "../support/voiceGateway.js"

/** What each caller says, by the number called; filled in before the calls are placed. */
const talkFor = new Map<string, Uint8Array>()

class Calls extends Context.Tag("Calls")<Calls, { readonly placed: Array<Promise<ConnectedCall>> }>() {}

const scenario = (r: ConnectRequest): Scenario => {
  const pcm = [...talkFor].find(([phone]) => r.from.endsWith(phone.slice(-10)))?.[1]
  return {
    kind: "answer",
    script: {
      hangupAtMs: 4_500,
      maxMs: 20_000,
      ...(pcm === undefined ? {} : { talk: { atMs: 800, pcm } }),
    },
  }
}

const Gateway = Layer.unwrapScoped(
  Effect.gen(function* () {
    const peer = yield* Effect.acquireRelease(
      Effect.promise(() => startExotelConnectPeer(scenario)),
      (p) => Effect.promise(p.close),
    )
    return Layer.merge(
      VoiceTestGateway(() => ({ exotelServiceUrl: Option.some(peer.url) }), {
        bargeInFlows: ["vendor_confirmation"],
      }),
      Layer.succeed(Calls, { placed: peer.calls }),
    )
  }),
)

/** Three seconds of a line's hiss, loud. */
const hiss = () => {
  const pcm = new Uint8Array(8000 * 3 * 2)
  const v = new DataView(pcm.buffer)
  let s = 99
  for (let i = 0; i < pcm.length / 2; i++) {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    v.setInt16(i * 2, Math.round(((s >>> 0) / 2 ** 31 - 1) * 5000), true)
  }
  return pcm
}

const place = (path: string, body: Record<string, unknown>) =>
  Effect.flatMap(asAdmin, (admin) =>
    admin.execute(HttpClientRequest.post(`/api/exotel${path}`).pipe(HttpClientRequest.bodyUnsafeJson(body))),
  ).pipe(Effect.tap((r) => expect(r.status).toBe(200)))

layer(Gateway, { timeout: 120_000, excludeTestServices: true })("barge-in", (it) => {
  it.scoped(
    "a vendor who talks over the offer cuts it off; noise does not, nor talk where barge-in is off",
    () =>
      Effect.gen(function* () {
        const pool = yield* makeEspeakPool({ threads: 1, warmUp: [] })
        const { pcm: speech } = yield* pool.speak(
          sentencesOf("हाँ जी, बोलिए। मुझे ऑर्डर के बारे में पूछना है।", "hi"),
          8000,
        )
        talkFor.set("+919822200001", speech)
        talkFor.set("+919822200002", hiss())
        talkFor.set("+919822200003", speech)
        const { placed } = yield* Calls
        const cutBefore = (yield* Metric.value(Metric.tagged(bargeIns, "flow", "vendor_confirmation"))).count
        const vendor = { vendorId: 7, vendorName: "Ravi", orderAmount: 90, language: "en" }
        yield* place("/nerve/vendor/confirm", { ...vendor, orderId: 71, vendorPhone: "+919822200001" })
        yield* place("/nerve/vendor/confirm", { ...vendor, orderId: 72, vendorPhone: "+919822200002" })
        yield* place("/nerve/rider/assign", {
          orderId: 73,
          riderId: 9,
          riderPhone: "+919822200003",
          riderName: "Asha",
          vendorName: "Sharma Sweets",
          vendorAddress: "MG Road",
          language: "en",
        })
        yield* eventually(
          Effect.sync(() => placed.length),
          (n) => n === 3,
          "10 seconds",
        )
        const calls = yield* Effect.promise(() => Promise.all(placed))
        const byPhone = (phone: string) =>
          calls.find((c) => c.request.from.endsWith(phone.slice(-10)))?.recording
        expect(byPhone("+919822200001")?.clears, "the talker").toBeGreaterThanOrEqual(1)
        expect(byPhone("+919822200002")?.clears, "the noisy line").toBe(0)
        expect(byPhone("+919822200003")?.clears, "the rider, whose flow has no barge-in").toBe(0)
        const cutAfter = (yield* Metric.value(Metric.tagged(bargeIns, "flow", "vendor_confirmation"))).count
        expect(cutAfter - cutBefore).toBe(1)
      }),
  )
})
