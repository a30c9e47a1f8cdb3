import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { callPurposes } from "../../src/domain/CallPurpose.js"
import { purposeClassOf, timingRuleFor } from "../../src/policy/timing/purposeRules.js"
import { dailyWindow, minutesOfClock, windowContains } from "../../src/policy/timing/windows.js"
import {
  civilFromDays,
  daysFromCivil,
  isoDateOfDay,
  localTimeAt,
  nextOffsetChange,
  offsetMinutesAt,
  weekdayOfDay,
} from "../../src/policy/timing/zone.js"
import { dayMs, minuteMs, wallClock } from "./timingReference.js"

const zones = [
  "Asia/Kolkata",
  "America/New_York",
  "Europe/London",
  "Australia/Lord_Howe",
  "UTC",
  "Asia/Kathmandu",
]
const from2020To2035 = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) })

describe("zone offsets", () => {
  it("are read on both sides of a DST change, to the minute", () => {
    const cases: ReadonlyArray<readonly [string, string, number]> = [
      ["Asia/Kolkata", "2026-03-08T06:59:00Z", 330],
      ["America/New_York", "2026-03-08T06:59:59.999Z", -300],
      ["America/New_York", "2026-03-08T07:00:00Z", -240],
      ["America/New_York", "2026-11-01T05:59:00Z", -240],
      ["America/New_York", "2026-11-01T06:00:00Z", -300],
      ["Europe/London", "2026-03-29T00:59:00Z", 0],
      ["Europe/London", "2026-03-29T01:00:00Z", 60],
      ["Australia/Lord_Howe", "2026-04-04T14:59:00Z", 660],
      ["Australia/Lord_Howe", "2026-04-04T15:00:00Z", 630],
      ["Australia/Lord_Howe", "2026-10-03T15:29:00Z", 630],
      ["Australia/Lord_Howe", "2026-10-03T15:30:00Z", 660],
    ]
    for (const [zone, instant, offset] of cases)
      expect([zone, instant, offsetMinutesAt(Date.parse(instant), zone)]).toEqual([zone, instant, offset])
  })

  it("agree with the wall clock Intl prints, for any instant and zone", () => {
    fc.assert(
      fc.property(from2020To2035, fc.constantFrom(...zones), (instant, zone) => {
        const { date, clock } = wallClock(instant, zone)
        const wall = Date.parse(`${date}T${clock}:00Z`)
        expect(offsetMinutesAt(instant, zone)).toBe(
          (wall - Math.floor(instant / minuteMs) * minuteMs) / minuteMs,
        )
        const local = localTimeAt(instant, zone)
        expect([isoDateOfDay(local.day), local.clock]).toEqual([date, clock])
      }),
      { numRuns: 1000 },
    )
  })
})

describe("nextOffsetChange", () => {
  it("finds the exact minute of each change", () => {
    expect(nextOffsetChange(Date.parse("2026-03-01T00:00:00Z"), "America/New_York", 400 * dayMs)).toBe(
      Date.parse("2026-03-08T07:00:00Z"),
    )
    expect(nextOffsetChange(Date.parse("2026-03-08T07:00:00Z"), "America/New_York", 400 * dayMs)).toBe(
      Date.parse("2026-11-01T06:00:00Z"),
    )
    expect(nextOffsetChange(Date.parse("2026-09-01T00:00:00Z"), "Australia/Lord_Howe", 400 * dayMs)).toBe(
      Date.parse("2026-10-03T15:30:00Z"),
    )
  })

  it("includes the end of the horizon and nothing past it", () => {
    const start = Date.parse("2026-03-01T00:00:00Z")
    const change = Date.parse("2026-03-08T07:00:00Z")
    expect(nextOffsetChange(start, "America/New_York", change - start)).toBe(change)
    expect(nextOffsetChange(start, "America/New_York", change - start - 1)).toBeNull()
  })

  it("is null where the offset never changes", () => {
    expect(nextOffsetChange(Date.parse("2026-01-01T00:00:00Z"), "Asia/Kolkata", 400 * dayMs)).toBeNull()
    expect(nextOffsetChange(Date.parse("2026-01-01T00:00:00Z"), "UTC", 400 * dayMs)).toBeNull()
  })

  it("is a minute where the offset differs from the minute before, with none earlier", () => {
    fc.assert(
      fc.property(from2020To2035, fc.constantFrom(...zones), (instant, zone) => {
        const horizon = 30 * dayMs
        const change = nextOffsetChange(instant, zone, horizon)
        const base = offsetMinutesAt(instant, zone)
        // An offset holds for months once changed, so daily samples would see any change that was missed.
        for (
          let t = instant;
          t <= Math.min(change ?? Number.POSITIVE_INFINITY, instant + horizon);
          t += dayMs
        ) {
          if (change === null || t < change) expect(offsetMinutesAt(t, zone)).toBe(base)
        }
        if (change !== null) {
          expect(change % minuteMs).toBe(0)
          expect(offsetMinutesAt(change, zone)).not.toBe(base)
          expect(offsetMinutesAt(change - 1, zone)).toBe(base)
        }
      }),
      { numRuns: 1000 },
    )
  })
})

describe("calendar days", () => {
  it("round-trip and agree with Date", () => {
    fc.assert(
      fc.property(fc.integer({ min: -800_000, max: 800_000 }), (days) => {
        const date = new Date(days * dayMs)
        const civil = civilFromDays(days)
        expect(civil).toEqual({
          year: date.getUTCFullYear(),
          month: date.getUTCMonth() + 1,
          day: date.getUTCDate(),
        })
        expect(daysFromCivil(civil.year, civil.month, civil.day)).toBe(days)
      }),
      { numRuns: 1000 },
    )
  })

  it("know the weekday", () => {
    const saturday = localTimeAt(Date.parse("2026-01-17T06:30:00Z"), "Asia/Kolkata")
    expect([isoDateOfDay(saturday.day), weekdayOfDay(saturday.day)]).toEqual(["2026-01-17", 6])
    const sunday = localTimeAt(Date.parse("2026-01-17T18:30:00Z"), "Asia/Kolkata")
    expect([isoDateOfDay(sunday.day), weekdayOfDay(sunday.day), sunday.minuteOfDay]).toEqual([
      "2026-01-18",
      0,
      0,
    ])
  })
})

describe("daily windows", () => {
  const contains = (start: string, end: string, clock: string): boolean =>
    windowContains(dailyWindow(start, end), minutesOfClock(clock))

  it("hold [start, end) on one day", () => {
    expect(contains("09:00", "21:00", "08:59")).toBe(false)
    expect(contains("09:00", "21:00", "09:00")).toBe(true)
    expect(contains("09:00", "21:00", "20:59")).toBe(true)
    expect(contains("09:00", "21:00", "21:00")).toBe(false)
  })

  it("cross midnight when the end is before the start", () => {
    expect(contains("21:00", "09:00", "20:59")).toBe(false)
    expect(contains("21:00", "09:00", "21:00")).toBe(true)
    expect(contains("21:00", "09:00", "00:00")).toBe(true)
    expect(contains("21:00", "09:00", "08:59")).toBe(true)
    expect(contains("21:00", "09:00", "09:00")).toBe(false)
  })

  it("are empty when start equals end, and whole from 00:00 to 24:00", () => {
    for (const clock of ["00:00", "12:00", "23:59"]) {
      expect(contains("00:00", "00:00", clock)).toBe(false)
      expect(contains("12:00", "12:00", clock)).toBe(false)
      expect(contains("00:00", "24:00", clock)).toBe(true)
    }
    expect(dailyWindow("21:00", "09:00").label).toBe("21:00–09:00")
  })
})

describe("purpose rules", () => {
  it("class every purpose as the policy documents", () => {
    const classes = Object.fromEntries(callPurposes.map((purpose) => [purpose, purposeClassOf(purpose)]))
    expect(classes).toEqual({
      order_confirmation: "transactional",
      otp_verification: "transactional",
      delivery_update: "transactional",
      payment_reminder: "service",
      feedback_request: "service",
      support_callback: "service",
      custom: "service",
      promotional_offer: "promotional",
      abandoned_cart: "promotional",
    })
    expect(purposeClassOf(undefined)).toBe("service")
  })

  it("never keep an SMS to working days or business hours", () => {
    for (const purpose of [...callPurposes, undefined]) {
      expect(timingRuleFor(purpose, "sms")).toMatchObject({ workingDay: false, businessHours: false })
    }
  })
})
