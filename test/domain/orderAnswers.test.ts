import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { type AnsweringCall, answerOf } from "../../src/domain/orderAnswers.js"
import { CallStatus, decisionOfStatus } from "../../src/domain/VoiceCall.js"

const call = (
  id: string,
  callType: string,
  status: string,
  more: Partial<AnsweringCall> = {},
): AnsweringCall => ({
  id,
  callType,
  status,
  vendorId: callType.startsWith("vendor") ? 67 : null,
  riderId: callType.startsWith("rider") ? 89 : null,
  prepTimeMinutes: null,
  rejectionReason: null,
  ...more,
})

const callArb = fc
  .record({
    id: fc.uuid(),
    callType: fc.constantFrom(
      "vendor_confirmation",
      "vendor_prep_time",
      "rider_assignment",
      "rider_pickup_ready",
    ),
    status: fc.constantFrom(...CallStatus.literals),
    vendorId: fc.option(fc.integer({ min: 1, max: 99 }), { nil: null }),
    riderId: fc.option(fc.integer({ min: 1, max: 99 }), { nil: null }),
    prepTimeMinutes: fc.option(fc.integer({ min: 5, max: 120 }), { nil: null }),
    rejectionReason: fc.option(fc.constantFrom("shop_closed", "too_busy"), { nil: null }),
  })
  .map((c): AnsweringCall => c)

const sideOf = (callType: string) =>
  callType.startsWith("vendor") ? "vendor" : callType === "rider_assignment" ? "rider" : null

describe("an order's answer at a glance", () => {
  it("a vendor who rejected, then another who accepted with a prep time: accepted, with that prep time", () => {
    const calls = [
      call("a", "vendor_confirmation", "rejected", { rejectionReason: "shop_closed", vendorId: 67 }),
      call("b", "vendor_confirmation", "prep_time_set", { prepTimeMinutes: 30, vendorId: 68 }),
      call("c", "rider_assignment", "ringing"),
    ]
    expect(answerOf(calls, "vendor")).toMatchObject({
      callId: "b",
      decision: "accepted",
      prepTimeMinutes: 30,
      vendorId: 68,
    })
    expect(answerOf(calls, "rider")).toMatchObject({ callId: "c", decision: null, status: "ringing" })
  })

  it("a later prep-time call that went unanswered leaves the acceptance and its prep time", () => {
    const calls = [
      call("a", "vendor_confirmation", "prep_time_set", { prepTimeMinutes: 20 }),
      call("b", "vendor_prep_time", "no_response"),
    ]
    expect(answerOf(calls, "vendor")).toMatchObject({
      callId: "a",
      decision: "accepted",
      prepTimeMinutes: 20,
    })
  })

  it("is the newest answered call of its side, else its newest call; none without a call of that side", () => {
    fc.assert(
      fc.property(fc.array(callArb, { maxLength: 12 }), fc.constantFrom("vendor", "rider"), (calls, side) => {
        const own = calls.filter((c) => sideOf(c.callType) === side)
        const answer = answerOf(calls, side)
        if (own.length === 0) {
          expect(answer).toBeNull()
          return
        }
        const answered = own.filter((c) => decisionOfStatus(c.status) !== null)
        const expected = answered.at(-1) ?? own.at(-1)
        expect(answer?.callId).toBe(expected?.id)
        expect(answer?.decision).toBe(decisionOfStatus(expected?.status ?? ""))
        expect(answer?.decision === null).toBe(answered.length === 0)
        expect(answer?.prepTimeMinutes).toBe(expected?.prepTimeMinutes)
        expect(answer?.rejectionReason).toBe(expected?.rejectionReason)
      }),
      { numRuns: 1000 },
    )
  })
})
