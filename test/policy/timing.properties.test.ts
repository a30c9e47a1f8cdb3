import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { type CallPurpose, callPurposes } from "../../src/domain/CallPurpose.js"
import type { Channel, TimingConfig } from "../../src/domain/Timing.js"
import {
  checkTiming,
  horizonDays,
  horizonReason,
  isAllowedAt,
  nextAllowedInstant,
} from "../../src/policy/timing/decide.js"
import { dayMs, minuteMs, referenceAllowed, referenceFirstAllowed, wallClock } from "./timingReference.js"

const zones = ["Asia/Kolkata", "America/New_York", "Europe/London", "Australia/Lord_Howe", "UTC"] as const

// DST changes in 2026, so that many runs land where the local clock jumps or repeats.
const offsetChanges: ReadonlyArray<readonly [string, number]> = [
  ["America/New_York", Date.parse("2026-03-08T07:00:00Z")],
  ["America/New_York", Date.parse("2026-11-01T06:00:00Z")],
  ["Europe/London", Date.parse("2026-03-29T01:00:00Z")],
  ["Europe/London", Date.parse("2026-10-25T01:00:00Z")],
  ["Australia/Lord_Howe", Date.parse("2026-04-04T15:00:00Z")],
  ["Australia/Lord_Howe", Date.parse("2026-10-03T15:30:00Z")],
]

const anyInstant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) })

/** A zone and an instant: anywhere in 2020–2035, or within three days of a DST change in its zone. */
const zoneAndInstant: fc.Arbitrary<readonly [string, number]> = fc.oneof(
  fc.tuple(fc.constantFrom(...zones), anyInstant),
  fc
    .constantFrom(...offsetChanges)
    .chain(([zone, change]) =>
      fc.tuple(fc.constant(zone), fc.integer({ min: change - 3 * dayMs, max: change + 3 * dayMs })),
    ),
)

/** Now: sometimes exactly on a minute boundary, where most answers land. */
const onOrOffMinute = (instant: number, onBoundary: boolean): number =>
  onBoundary ? Math.floor(instant / minuteMs) * minuteMs : instant

const pad2 = (n: number): string => String(n).padStart(2, "0")

/** A clock time, biased towards the hours DST changes skip or repeat and towards the ends of the day. */
const clockTime: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30)).map(([h, m]) => `${pad2(h)}:${pad2(m)}`),
  fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m]) => `${pad2(h)}:${pad2(m)}`),
  fc.constantFrom("00:00", "24:00", "01:00", "01:30", "02:00", "02:15", "02:30", "03:00"),
)

interface ConfigShape {
  readonly businessHoursStart: string
  readonly businessHoursEnd: string
  readonly dndStart: string
  readonly dndEnd: string
  readonly promoSmsStart: string
  readonly promoSmsEnd: string
  readonly weekendCallsAllowed: boolean
  /** Holidays as days after now (local dates are only known once now and the zone are). */
  readonly holidayOffsets: ReadonlyArray<number>
}

const configShape: fc.Arbitrary<ConfigShape> = fc.record({
  businessHoursStart: clockTime,
  businessHoursEnd: clockTime,
  dndStart: clockTime,
  dndEnd: clockTime,
  promoSmsStart: clockTime,
  promoSmsEnd: clockTime,
  weekendCallsAllowed: fc.boolean(),
  holidayOffsets: fc.array(fc.integer({ min: -1, max: 9 }), { maxLength: 4 }),
})

const configAt = (shape: ConfigShape, timezone: string, now: number): TimingConfig => {
  const { holidayOffsets, ...windows } = shape
  return {
    ...windows,
    timezone,
    holidays: holidayOffsets.map((days) => wallClock(now + days * dayMs, timezone).date),
  }
}

const purpose: fc.Arbitrary<CallPurpose | undefined> = fc.option(fc.constantFrom(...callPurposes), {
  nil: undefined,
})
const channel: fc.Arbitrary<Channel | undefined> = fc.option(fc.constantFrom<Channel>("call", "sms"), {
  nil: undefined,
})

/** A small deterministic generator for the minutes sampled in long gaps, seeded by fast-check. */
const sampler = (seed: number) => {
  let state = seed >>> 0
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const threeDays = 3 * dayMs
const firstBoundaryAfter = (instant: number): number => Math.floor(instant / minuteMs) * minuteMs + minuteMs

describe("nextAllowedInstant against a minute-by-minute scan", () => {
  it("is allowed, nothing before it is, and it equals the scan within three days", () => {
    fc.assert(
      fc.property(
        zoneAndInstant,
        fc.boolean(),
        configShape,
        purpose,
        channel,
        fc.integer(),
        ([zone, instant], onBoundary, shape, purpose, channel, seed) => {
          const now = onOrOffMinute(instant, onBoundary)
          const config = configAt(shape, zone, now)
          const asked = channel ?? "call"
          const next = nextAllowedInstant(now, config, purpose, channel)
          const decision = checkTiming(now, config, purpose, channel)
          const random = sampler(seed)
          // Collects the instants either implementation allows, so a whole scan costs one expect.
          const allowedAmong = (instants: Iterable<number>): ReadonlyArray<string> => {
            const allowed: Array<string> = []
            for (const t of instants) {
              if (isAllowedAt(t, config, purpose, channel) || referenceAllowed(t, config, purpose, asked))
                allowed.push(new Date(t).toISOString())
            }
            return allowed
          }
          const randomMinutes = function* (from: number, span: number) {
            for (let i = 0; i < 500; i++) yield firstBoundaryAfter(from + Math.floor(random() * span))
          }

          if (next === null) {
            expect(decision).toMatchObject({ reason: horizonReason, nextAvailableTime: null })
            // Every minute of one day, then minutes anywhere in the horizon.
            expect(referenceFirstAllowed(now, config, purpose, asked, dayMs)).toBeNull()
            expect(allowedAmong([now, ...randomMinutes(now, horizonDays * dayMs - minuteMs)])).toEqual([])
            return
          }

          expect(next).toBeGreaterThanOrEqual(now)
          expect(next === now || next % minuteMs === 0).toBe(true)
          expect(isAllowedAt(next, config, purpose, channel)).toBe(true)
          expect(referenceAllowed(next, config, purpose, asked)).toBe(true)
          expect(isAllowedAt(now, config, purpose, channel)).toBe(next === now)
          expect(decision.nextAvailableTime).toBe(next === now ? null : next)
          expect(decision.reason === null).toBe(next === now)

          const everyMinute = function* (from: number, until: number) {
            for (let t = firstBoundaryAfter(from); t < until; t += minuteMs) yield t
          }
          if (next - now <= threeDays) {
            const early: Array<string> = []
            for (const t of everyMinute(now, next))
              if (isAllowedAt(t, config, purpose, channel)) early.push(new Date(t).toISOString())
            expect(early).toEqual([])
          } else {
            expect(allowedAmong(everyMinute(next - threeDays, next))).toEqual([])
            expect(allowedAmong(randomMinutes(now, next - threeDays - now))).toEqual([])
          }

          const scanned = referenceFirstAllowed(now, config, purpose, asked, threeDays)
          if (scanned !== null) expect(new Date(next).toISOString()).toBe(new Date(scanned).toISOString())
          else expect(next - now).toBeGreaterThan(threeDays)
        },
      ),
      { numRuns: 1000 },
    )
  })
})

describe("timing properties", () => {
  const transactional = fc.constantFrom<CallPurpose>(
    "order_confirmation",
    "otp_verification",
    "delivery_update",
  )

  it("transactional purposes are always allowed, on either channel", () => {
    fc.assert(
      fc.property(
        zoneAndInstant,
        configShape,
        transactional,
        channel,
        ([zone, now], shape, purpose, channel) => {
          const config = configAt(shape, zone, now)
          expect(isAllowedAt(now, config, purpose, channel)).toBe(true)
          expect(nextAllowedInstant(now, config, purpose, channel)).toBe(now)
          expect(checkTiming(now, config, purpose, channel)).toMatchObject({
            canCall: true,
            canSms: true,
            reason: null,
            nextAvailableTime: null,
          })
        },
      ),
      { numRuns: 1000 },
    )
  })

  it("canPromoSms is whether a promotional SMS may go, whatever purpose was asked about", () => {
    fc.assert(
      fc.property(zoneAndInstant, configShape, purpose, channel, ([zone, now], shape, purpose, channel) => {
        const config = configAt(shape, zone, now)
        const { canPromoSms } = checkTiming(now, config, purpose, channel)
        for (const promotional of ["promotional_offer", "abandoned_cart"] as const) {
          if (!canPromoSms) expect(isAllowedAt(now, config, promotional, "sms")).toBe(false)
          expect(isAllowedAt(now, config, promotional, "sms")).toBe(canPromoSms)
        }
      }),
      { numRuns: 1000 },
    )
  })

  it("the decision agrees with isAllowedAt, the reference and the wall clock", () => {
    fc.assert(
      fc.property(zoneAndInstant, configShape, purpose, channel, ([zone, now], shape, purpose, channel) => {
        const config = configAt(shape, zone, now)
        const decision = checkTiming(now, config, purpose, channel)
        expect(decision.canCall).toBe(isAllowedAt(now, config, purpose, "call"))
        expect(decision.canCall).toBe(referenceAllowed(now, config, purpose, "call"))
        expect(decision.canSms).toBe(isAllowedAt(now, config, purpose, "sms"))
        expect(decision.canSms).toBe(referenceAllowed(now, config, purpose, "sms"))
        expect(decision.reason === null).toBe(isAllowedAt(now, config, purpose, channel))
        expect(decision.currentTime).toBe(wallClock(now, zone).clock)
        expect(decision.timezone).toBe(zone)
      }),
      { numRuns: 1000 },
    )
  })

  it("a DND window across midnight holds on both sides of midnight, and SMS resume at its end", () => {
    const crossing = fc.tuple(clockTime, clockTime).filter(([start, end]) => end < start && start !== "24:00")
    const serviceSms = fc.constantFrom<CallPurpose | undefined>(
      undefined,
      "payment_reminder",
      "support_callback",
    )
    // Zones without DST, so DND's end is always a wall-clock time that happens.
    fc.assert(
      fc.property(
        fc.constantFrom("Asia/Kolkata", "UTC", "Asia/Kathmandu"),
        anyInstant,
        configShape,
        crossing,
        serviceSms,
        (zone, now, shape, [dndStart, dndEnd], purpose) => {
          const config = { ...configAt(shape, zone, now), dndStart, dndEnd }
          const clock = wallClock(now, zone).clock
          const inDnd = clock >= dndStart || clock < dndEnd
          const decision = checkTiming(now, config, purpose, "sms")
          expect(decision.canSms).toBe(!inDnd)
          if (!inDnd) return
          expect(decision.reason).toBe(`DND hours (${dndStart}–${dndEnd}) - SMS not allowed`)
          const next = decision.nextAvailableTime
          expect(next).not.toBeNull()
          if (next === null) return
          expect(wallClock(next, zone).clock).toBe(dndEnd)
          expect(next - now).toBeLessThanOrEqual(dayMs)
        },
      ),
      { numRuns: 1000 },
    )
  })
})
