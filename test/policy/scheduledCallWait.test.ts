// Why a scheduled call waits: each reason the console shows comes from the dispatcher's own decisions.
import { describe, expect, it } from "@effect/vitest"
import { defaultTimingConfig, type TimingConfig } from "../../src/domain/Timing.js"
import { type PendingCall, timingKindOf, whyWaiting } from "../../src/policy/scheduledCallWait.js"
import { checkTiming } from "../../src/policy/timing/decide.js"

const ist = (local: string) => Date.parse(`${local}+05:30`)
// A Wednesday.
const wednesdayNoon = ist("2026-11-25T12:00:00")

const pending = (over: Partial<PendingCall> = {}): PendingCall => ({
  purpose: "feedback_request",
  dueAt: wednesdayNoon,
  attempts: 0,
  lastOutcome: null,
  movedBecause: null,
  ...over,
})

const noDnd: TimingConfig = { ...defaultTimingConfig, dndStart: "00:00", dndEnd: "00:00" }

describe("timingKindOf reads each reason the timing policy gives", () => {
  const cases: ReadonlyArray<readonly [string, TimingConfig, number, string]> = [
    ["dnd", defaultTimingConfig, ist("2026-11-25T22:00:00"), "feedback_request"],
    ["holiday", { ...defaultTimingConfig, holidays: ["2026-11-25"] }, wednesdayNoon, "feedback_request"],
    ["weekend", defaultTimingConfig, ist("2026-11-28T12:00:00"), "feedback_request"],
    ["business_hours", { ...noDnd, businessHoursStart: "13:00" }, wednesdayNoon, "feedback_request"],
    ["promo_window", { ...noDnd, promoSmsStart: "13:00" }, wednesdayNoon, "promotional_offer"],
  ]
  for (const [kind, timing, at, purpose] of cases) {
    it(kind, () => {
      const reason = checkTiming(at, timing, purpose as "feedback_request", "call").reason
      expect(reason).not.toBeNull()
      expect(timingKindOf(reason ?? "")).toBe(kind)
    })
  }
})

describe("whyWaiting", () => {
  it("a call due later and never moved is not due yet", () => {
    expect(
      whyWaiting(pending({ dueAt: wednesdayNoon + 60_000 }), wednesdayNoon, defaultTimingConfig, 5),
    ).toEqual({ kind: "not_due", reason: "Not due yet" })
  })

  it("a call the timing policy moved says why", () => {
    const moved = pending({
      dueAt: wednesdayNoon + 3_600_000,
      movedBecause: "Outside business hours (09:00-21:00)",
    })
    expect(whyWaiting(moved, wednesdayNoon, defaultTimingConfig, 5).kind).toBe("business_hours")
  })

  it("a retry waits out its backoff after attempt k", () => {
    const retry = pending({ dueAt: wednesdayNoon + 30_000, attempts: 2, lastOutcome: "busy" })
    expect(whyWaiting(retry, wednesdayNoon, defaultTimingConfig, 5)).toEqual({
      kind: "retry_backoff",
      reason: "Retry backoff after attempt 2 (busy)",
    })
  })

  it("a due call in a window the dispatcher would not dial is moved on, with the window named", () => {
    const late = ist("2026-11-25T22:00:00")
    expect(whyWaiting(pending({ dueAt: late - 1 }), late, defaultTimingConfig, 5).kind).toBe("dnd")
  })

  it("a due, allowed call waits for the rate budget only when it has nothing for bulk work", () => {
    expect(whyWaiting(pending(), wednesdayNoon, defaultTimingConfig, 0).kind).toBe("rate_budget")
    expect(whyWaiting(pending(), wednesdayNoon, defaultTimingConfig, 1).kind).toBe("due")
  })
})
