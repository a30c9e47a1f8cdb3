// A voice call's row carries a version: a session's commit names the version it read, so of two sessions of one
// call (a callback handled on another process while the stream's session still runs) the later one is told its
// state is stale instead of overwriting what the other wrote.
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { type FlowState, initialState } from "../../src/actors/callFlow.js"
import { VoiceCallsRepo, voiceCallsRepoLayer } from "../../src/store/VoiceCallsRepo.js"
import { TestCoreLive } from "../support/testGateway.js"

const details = {
  recipientName: null,
  orderId: 4242,
  orderAmount: null,
  itemCount: null,
  vendorName: null,
  vendorAddress: null,
}

const answered = (flow: FlowState): FlowState => ({
  ...flow,
  phase: "asking",
  status: "answered",
  step: "decision",
})
const accepted = (flow: FlowState): FlowState => ({
  ...flow,
  phase: "ended",
  status: "accepted",
  decision: "accepted",
})

const entry = (event: string, dedupKey?: string) => ({
  event,
  source: "exotel" as const,
  detail: null,
  applied: true,
  ...(dedupKey === undefined ? {} : { dedupKey }),
})

layer(voiceCallsRepoLayer([]).pipe(Layer.provideMerge(TestCoreLive())), { timeout: 60_000 })(
  "voice call versions",
  (it) => {
    it.effect(
      "a commit from a stale read is refused and changes nothing; one from the new version is written",
      () =>
        Effect.gen(function* () {
          const repo = yield* VoiceCallsRepo
          const flow = initialState("vendor_confirmation", "en", 1, 1)
          yield* repo.insert({
            id: "VC_versions_1",
            flow,
            details,
            mode: "built-in",
            orderId: 4242,
            vendorId: null,
            riderId: null,
            phoneNumber: "+919800000001",
          })
          const read = Option.getOrThrow(yield* repo.find("VC_versions_1"))
          expect(read.version).toBe(0)

          // Two sessions read version 0; the first to commit wins, the second is stale.
          expect(yield* repo.commit("VC_versions_1", answered(flow), 0, entry("answered"), [])).toBe("fresh")
          expect(yield* repo.commit("VC_versions_1", accepted(flow), 0, entry("digit:1"), [])).toBe("stale")
          const afterStale = Option.getOrThrow(yield* repo.find("VC_versions_1"))
          expect(afterStale.version).toBe(1)
          expect(afterStale.flow.status).toBe("answered")
          expect((yield* repo.events("VC_versions_1")).map((e) => e.event)).toEqual(["initiated", "answered"])

          // Applied again to what the other wrote, it goes in.
          expect(
            yield* repo.commit("VC_versions_1", accepted(afterStale.flow), 1, entry("digit:1", "cb-1"), []),
          ).toBe("fresh")
          // A repeat delivery of the same callback changes nothing, whatever version it names.
          expect(
            yield* repo.commit("VC_versions_1", accepted(afterStale.flow), 2, entry("digit:1", "cb-1"), []),
          ).toBe("repeat")
          const last = Option.getOrThrow(yield* repo.find("VC_versions_1"))
          expect(last.version).toBe(2)
          expect(last.flow.status).toBe("accepted")
          expect((yield* repo.events("VC_versions_1")).map((e) => e.event)).toEqual([
            "initiated",
            "answered",
            "digit:1",
          ])
          // A log entry needs no version.
          expect(
            yield* repo.log("VC_versions_1", "accepted", { ...entry("hangup:completed"), applied: false }),
          ).toBe(true)
        }),
    )
  },
)
