import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { callPurposes } from "../../src/domain/CallPurpose.js"
import { defaultTimingConfig } from "../../src/domain/Timing.js"
import { retrySlot, slotFor } from "../../src/policy/scheduling.js"
import { isAllowedAt } from "../../src/policy/timing/decide.js"

const ist = (local: string) => Date.parse(`${local}+05:30`)

describe("slotFor", () => {
  it("keeps an allowed preferred time", () => {
    const slot = slotFor(
      ist("2026-11-25T10:00:00"),
      ist("2026-11-25T14:00:00"),
      defaultTimingConfig,
      "feedback_request",
    )
    expect(slot).toEqual({ dueAt: ist("2026-11-25T14:00:00"), movedBecause: null })
  })

  it("moves a time in the DND window to the next morning and says why", () => {
    const slot = slotFor(
      ist("2026-11-25T10:00:00"),
      ist("2026-11-25T22:30:00"),
      defaultTimingConfig,
      "payment_reminder",
    )
    expect(slot?.dueAt).toBe(ist("2026-11-26T09:00:00"))
    expect(slot?.movedBecause).toContain("DND")
  })

  it("moves a Saturday call to Monday morning when weekends are off", () => {
    const slot = slotFor(
      ist("2026-11-27T10:00:00"),
      ist("2026-11-28T11:00:00"),
      defaultTimingConfig,
      "feedback_request",
    )
    expect(slot?.dueAt).toBe(ist("2026-11-30T09:00:00"))
    expect(slot?.movedBecause).toContain("Weekend")
  })

  it("sends a past preferred time now, and an order confirmation at any hour", () => {
    const now = ist("2026-11-25T23:30:00")
    expect(slotFor(now, ist("2026-11-25T23:00:00"), defaultTimingConfig, "order_confirmation")).toEqual({
      dueAt: now,
      movedBecause: "The preferred time has passed; the call goes out now",
    })
  })

  it("always lands on an allowed instant, never before now or the preferred time", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: ist("2026-01-01T00:00:00"), max: ist("2027-01-01T00:00:00") }),
        fc.option(fc.integer({ min: -3 * 86_400_000, max: 10 * 86_400_000 }), { nil: undefined }),
        fc.constantFrom(...callPurposes),
        (now, offset, purpose) => {
          const preferred = offset === undefined ? undefined : now + offset
          const slot = slotFor(now, preferred, defaultTimingConfig, purpose)
          expect(slot).toBeDefined()
          if (slot === undefined) return
          expect(slot.dueAt).toBeGreaterThanOrEqual(Math.max(now, preferred ?? now))
          expect(isAllowedAt(slot.dueAt, defaultTimingConfig, purpose, "call")).toBe(true)
          expect(slot.movedBecause === null).toBe(slot.dueAt === (preferred ?? now))
        },
      ),
      { numRuns: 1000 },
    )
  })
})

describe("retrySlot", () => {
  it("waits the delay, then for the end of DND", () => {
    const slot = retrySlot(ist("2026-11-25T20:50:00"), 15 * 60_000, defaultTimingConfig, "payment_reminder")
    expect(slot?.dueAt).toBe(ist("2026-11-26T09:00:00"))
  })
})
