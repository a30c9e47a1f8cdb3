import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { initialState } from "../../src/actors/callFlow.js"
import { CallStatus } from "../../src/domain/VoiceCall.js"
import { flowEventsOf, type NerveCallback } from "../../src/http/handlers/NerveCallbackHandlers.js"
import { run } from "../support/callFlowArbitraries.js"

const callbackArb: fc.Arbitrary<NerveCallback> = fc.record({
  call_id: fc.constant("VC_1"),
  event: fc.constantFrom(...CallStatus.literals),
  status: fc.option(fc.constantFrom(...CallStatus.literals, "ok"), { nil: null }),
  prep_time: fc.option(fc.integer({ min: 0, max: 200 }), { nil: null }),
  rejection_reason: fc.option(fc.constantFrom("shop_closed", "too_busy", "no stock"), { nil: null }),
})

const decisionOf = (s: string | null | undefined) =>
  s === "accepted" || s === "prep_time_set" ? "accepted" : s === "rejected" ? "rejected" : null

describe("a Nerve callback as flow events", () => {
  it("the seed's example callback (answered, status accepted, prep time 30) ends the call prep_time_set", () => {
    const events = flowEventsOf({
      call_id: "VC_12345_1234567890",
      call_sid: "EXOTEL_SID_123",
      event: "answered",
      status: "accepted",
      dtmf_digits: "1",
      prep_time: 30,
      rejection_reason: null,
      recording_url: "https://recordings.exotel.com/call_123.mp3",
    })
    const { state } = run(initialState("vendor_confirmation", "hi"), events)
    expect(state).toMatchObject({
      phase: "ended",
      status: "prep_time_set",
      decision: "accepted",
      prepTimeMinutes: 30,
    })
  })

  it("a hang-up that carries the rejection ends the call rejected, with its reason", () => {
    const events = flowEventsOf({
      call_id: "VC_1",
      event: "completed",
      status: "rejected",
      rejection_reason: "too_busy",
    })
    const { state } = run(initialState("vendor_confirmation", "hi"), [{ _tag: "Answered" }, ...events])
    expect(state).toMatchObject({ phase: "ended", status: "rejected", rejectionReason: "too_busy" })
  })

  it("the line's progress first, then the decision the callback carries, then the hang-up", () => {
    fc.assert(
      fc.property(callbackArb, (cb) => {
        const events = flowEventsOf(cb)
        const order = events.map((e) => (e._tag === "Hangup" ? 2 : e._tag === "Reported" ? 1 : 0))
        expect(order).toEqual([...order].sort())
        expect(new Set(order).size).toBe(order.length)
        const said = decisionOf(cb.event) ?? decisionOf(cb.status)
        const report = events.find((e) => e._tag === "Reported")
        const expected = said ?? (cb.prep_time === null ? null : "accepted")
        expect(report?._tag === "Reported" ? report.decision : null).toBe(expected)
        if (report?._tag === "Reported" && report.decision === "accepted")
          expect(report.prepTimeMinutes).toBe(cb.prep_time)
        if (report?._tag === "Reported" && report.decision === "rejected") {
          expect(report.prepTimeMinutes).toBeNull()
          expect(report.rejectionReason).toBe(
            cb.rejection_reason === null
              ? null
              : cb.rejection_reason === "no stock"
                ? "other"
                : cb.rejection_reason,
          )
        }
      }),
      { numRuns: 1000 },
    )
  })

  it("whatever a callback carries, a reported acceptance is never lost to an unusable prep time", () => {
    fc.assert(
      fc.property(callbackArb, (cb) => {
        const start = run(initialState("vendor_confirmation", "hi"), [{ _tag: "Answered" }]).state
        const { state } = run(start, flowEventsOf(cb))
        const said =
          decisionOf(cb.event) ?? decisionOf(cb.status) ?? (cb.prep_time === null ? null : "accepted")
        expect(state.decision).toBe(said)
      }),
      { numRuns: 1000 },
    )
  })
})
