import { describe, expect, it } from "@effect/vitest"
import { defaultTimingConfig, type TimingConfig } from "../../src/domain/Timing.js"
import {
  checkTiming,
  horizonReason,
  isAllowedAt,
  nextAllowedInstant,
} from "../../src/policy/timing/decide.js"

// defaultTimingConfig: Asia/Kolkata (+05:30), business 09:00–21:00, DND 21:00–09:00, promo 10:00–21:00,
// no weekend calls. January 2026: Wed 14, Fri 16, Sat 17, Mon 19, Fri 23, Mon 26 (Republic Day), Tue 27.
const ist = (local: string): number => Date.parse(`${local}:00+05:30`)
const iso = (instant: number | null): string | null =>
  instant === null ? null : new Date(instant).toISOString()

describe("DND across midnight (21:00–09:00 IST)", () => {
  it("at 20:59 a call is allowed", () => {
    const decision = checkTiming(ist("2026-01-14T20:59"), defaultTimingConfig)
    expect(decision).toMatchObject({ canCall: true, canSms: true, reason: null, nextAvailableTime: null })
  })

  it("at 21:00 DND has started and the next call is at 09:00 the next morning", () => {
    const decision = checkTiming(ist("2026-01-14T21:00"), defaultTimingConfig)
    expect(decision).toMatchObject({
      canCall: false,
      canSms: false,
      canPromoSms: false,
      reason: "DND hours (21:00–09:00) - calls not allowed",
      currentTime: "21:00",
    })
    expect(iso(decision.nextAvailableTime)).toBe(iso(ist("2026-01-15T09:00")))
  })

  it("at 08:59 DND still holds, for SMS too, until 09:00 the same morning", () => {
    const decision = checkTiming(ist("2026-01-15T08:59"), defaultTimingConfig, "payment_reminder", "sms")
    expect(decision.reason).toBe("DND hours (21:00–09:00) - SMS not allowed")
    expect(iso(decision.nextAvailableTime)).toBe(iso(ist("2026-01-15T09:00")))
  })

  it("at 09:00 DND is over", () => {
    expect(isAllowedAt(ist("2026-01-15T09:00"), defaultTimingConfig)).toBe(true)
    expect(isAllowedAt(ist("2026-01-15T09:00"), defaultTimingConfig, undefined, "sms")).toBe(true)
  })

  it("mid-minute, the answer is the next minute boundary", () => {
    const now = ist("2026-01-15T08:59") + 30_500
    expect(iso(nextAllowedInstant(now, defaultTimingConfig))).toBe(iso(ist("2026-01-15T09:00")))
  })

  it("DND 00:00–00:00 means no DND, so SMS may go at any hour", () => {
    const config: TimingConfig = { ...defaultTimingConfig, dndStart: "00:00", dndEnd: "00:00" }
    expect(checkTiming(ist("2026-01-15T03:00"), config, undefined, "sms").canSms).toBe(true)
  })
})

describe("weekends", () => {
  it("on Saturday, with weekend calls off, the next call is Monday 09:00", () => {
    const decision = checkTiming(ist("2026-01-17T12:00"), defaultTimingConfig, "support_callback")
    expect(decision).toMatchObject({ canCall: false, canSms: true, reason: "Weekend - calls not allowed" })
    expect(iso(decision.nextAvailableTime)).toBe(iso(ist("2026-01-19T09:00")))
  })

  it("on Friday after business hours the next call skips the whole weekend", () => {
    const decision = checkTiming(ist("2026-01-16T22:30"), defaultTimingConfig)
    expect(decision.reason).toBe("DND hours (21:00–09:00) - calls not allowed")
    expect(iso(decision.nextAvailableTime)).toBe(iso(ist("2026-01-19T09:00")))
  })

  it("with weekend calls allowed, Saturday noon is a working hour", () => {
    const config: TimingConfig = { ...defaultTimingConfig, weekendCallsAllowed: true }
    expect(checkTiming(ist("2026-01-17T12:00"), config).canCall).toBe(true)
  })
})

describe("holidays", () => {
  it("a Friday holiday, the weekend and a Monday holiday push the next call to Tuesday", () => {
    const config: TimingConfig = { ...defaultTimingConfig, holidays: ["2026-01-23", "2026-01-26"] }
    const decision = checkTiming(ist("2026-01-23T10:00"), config, "feedback_request")
    expect(decision).toMatchObject({
      canCall: false,
      canSms: true,
      canPromoSms: true,
      reason: "Holiday 2026-01-23 - calls not allowed",
    })
    expect(iso(decision.nextAvailableTime)).toBe(iso(ist("2026-01-27T09:00")))
  })

  it("holidays are local dates: the holiday starts and ends at Indian midnight, not UTC midnight", () => {
    const config: TimingConfig = {
      ...defaultTimingConfig,
      holidays: ["2026-01-26"],
      weekendCallsAllowed: true, // the eve is a Sunday
      businessHoursStart: "00:00",
      businessHoursEnd: "24:00",
      dndStart: "00:00",
      dndEnd: "00:00",
    }
    expect(isAllowedAt(Date.parse("2026-01-25T18:29:00Z"), config)).toBe(true)
    const decision = checkTiming(Date.parse("2026-01-25T18:30:00Z"), config)
    expect(decision).toMatchObject({ reason: "Holiday 2026-01-26 - calls not allowed", currentTime: "00:00" })
    expect(iso(decision.nextAvailableTime)).toBe("2026-01-26T18:30:00.000Z")
  })
})

describe("purposes", () => {
  it("transactional traffic goes out at any hour, even on a holiday in DND", () => {
    const config: TimingConfig = { ...defaultTimingConfig, holidays: ["2026-01-26"] }
    for (const purpose of ["order_confirmation", "otp_verification", "delivery_update"] as const) {
      const decision = checkTiming(ist("2026-01-26T23:30"), config, purpose)
      expect(decision).toMatchObject({ canCall: true, canSms: true, reason: null, nextAvailableTime: null })
    }
  })

  it("a promotional call waits for the promotional window after business hours open", () => {
    const decision = checkTiming(ist("2026-01-14T09:30"), defaultTimingConfig, "abandoned_cart")
    expect(decision).toMatchObject({
      canCall: false,
      canSms: false,
      canPromoSms: false,
      reason: "Outside the promotional window (10:00–21:00)",
    })
    expect(iso(decision.nextAvailableTime)).toBe(iso(ist("2026-01-14T10:00")))
  })

  it("a service call may go before the promotional window, but a promotional SMS may not", () => {
    const decision = checkTiming(ist("2026-01-14T09:30"), defaultTimingConfig, "payment_reminder")
    expect(decision).toMatchObject({ canCall: true, canSms: true, canPromoSms: false, reason: null })
  })

  it("no purpose is treated as service traffic", () => {
    const now = ist("2026-01-17T12:00")
    expect(checkTiming(now, defaultTimingConfig)).toEqual(checkTiming(now, defaultTimingConfig, "custom"))
  })
})

describe("the horizon", () => {
  it("when the windows never meet, nothing is allowed within 400 days", () => {
    const config: TimingConfig = {
      ...defaultTimingConfig,
      businessHoursStart: "22:00",
      businessHoursEnd: "23:00",
    }
    const decision = checkTiming(ist("2026-01-14T12:00"), config)
    expect(decision).toMatchObject({ canCall: false, reason: horizonReason, nextAvailableTime: null })
    expect(horizonReason).toBe("No allowed time within 400 days")
    expect(nextAllowedInstant(ist("2026-01-14T12:00"), config)).toBeNull()
  })

  it("DND 00:00–24:00 stops every SMS that is not transactional", () => {
    const config: TimingConfig = { ...defaultTimingConfig, dndStart: "00:00", dndEnd: "24:00" }
    expect(checkTiming(ist("2026-01-14T12:00"), config, undefined, "sms").reason).toBe(horizonReason)
    expect(checkTiming(ist("2026-01-14T12:00"), config, "otp_verification", "sms").canSms).toBe(true)
  })

  it("business hours 00:00–24:00 with no DND allow a weekday at any minute", () => {
    const config: TimingConfig = {
      ...defaultTimingConfig,
      businessHoursStart: "00:00",
      businessHoursEnd: "24:00",
      dndStart: "00:00",
      dndEnd: "00:00",
    }
    expect(isAllowedAt(ist("2026-01-14T00:00"), config)).toBe(true)
    expect(isAllowedAt(ist("2026-01-14T23:59"), config)).toBe(true)
  })
})

describe("daylight saving time", () => {
  const noDnd = { dndStart: "00:00", dndEnd: "00:00", weekendCallsAllowed: true } as const

  it("New York spring-forward: business hours from 02:30 open at 03:00 EDT, the change itself", () => {
    // 2026-03-08 (a Sunday): at 07:00Z 02:00 EST becomes 03:00 EDT; 02:30 never happens that day.
    const config: TimingConfig = {
      ...defaultTimingConfig,
      ...noDnd,
      timezone: "America/New_York",
      businessHoursStart: "02:30",
    }
    const decision = checkTiming(Date.parse("2026-03-08T06:00:00Z"), config)
    expect(decision).toMatchObject({ reason: "Outside business hours (02:30–21:00)", currentTime: "01:00" })
    expect(iso(decision.nextAvailableTime)).toBe("2026-03-08T07:00:00.000Z")
    expect(iso(nextAllowedInstant(Date.parse("2026-03-08T06:59:59.999Z"), config))).toBe(
      "2026-03-08T07:00:00.000Z",
    )
    expect(checkTiming(Date.parse("2026-03-08T07:00:00Z"), config)).toMatchObject({
      canCall: true,
      currentTime: "03:00",
    })
  })

  it("New York spring-forward: a window inside the gap is closed that day and open the next", () => {
    const config: TimingConfig = {
      ...defaultTimingConfig,
      ...noDnd,
      timezone: "America/New_York",
      businessHoursStart: "02:00",
      businessHoursEnd: "02:30",
    }
    // 02:00 EDT on 2026-03-09 is 06:00Z.
    expect(iso(nextAllowedInstant(Date.parse("2026-03-08T06:00:00Z"), config))).toBe(
      "2026-03-09T06:00:00.000Z",
    )
  })

  it("New York fall-back: 01:30–01:45 is open twice, and the second time is found after the first", () => {
    // 2026-11-01 (a Sunday): at 06:00Z 02:00 EDT becomes 01:00 EST, so 01:00–01:59 happens twice.
    const config: TimingConfig = {
      ...defaultTimingConfig,
      ...noDnd,
      timezone: "America/New_York",
      businessHoursStart: "01:30",
      businessHoursEnd: "01:45",
    }
    expect(iso(nextAllowedInstant(Date.parse("2026-11-01T05:00:00Z"), config))).toBe(
      "2026-11-01T05:30:00.000Z",
    )
    const afterFirst = checkTiming(Date.parse("2026-11-01T05:50:00Z"), config)
    expect(afterFirst.currentTime).toBe("01:50")
    expect(iso(afterFirst.nextAvailableTime)).toBe("2026-11-01T06:30:00.000Z")
  })

  it("New York fall-back: business hours from 02:00 open at 02:00 EST, an hour after 02:00 EDT would have been", () => {
    const config: TimingConfig = {
      ...defaultTimingConfig,
      ...noDnd,
      timezone: "America/New_York",
      businessHoursStart: "02:00",
    }
    expect(iso(nextAllowedInstant(Date.parse("2026-11-01T05:59:00Z"), config))).toBe(
      "2026-11-01T07:00:00.000Z",
    )
  })

  it("Lord Howe's half-hour spring-forward: 02:15 does not exist, so 02:30 LHDT is the answer", () => {
    // 2026-10-04: at 15:30Z on the 3rd, 02:00 (+10:30) becomes 02:30 (+11:00).
    const config: TimingConfig = {
      ...defaultTimingConfig,
      ...noDnd,
      timezone: "Australia/Lord_Howe",
      businessHoursStart: "02:15",
    }
    const decision = checkTiming(Date.parse("2026-10-03T15:00:00Z"), config)
    expect(decision.currentTime).toBe("01:30")
    expect(iso(decision.nextAvailableTime)).toBe("2026-10-03T15:30:00.000Z")
  })
})

describe("currentTime", () => {
  it("is the local wall clock HH:mm in the configured zone", () => {
    const midnightUtc = Date.parse("2026-01-01T00:00:00Z")
    const at = (timezone: string, instant = midnightUtc): string =>
      checkTiming(instant, { ...defaultTimingConfig, timezone }).currentTime
    expect(at("Asia/Kolkata")).toBe("05:30")
    expect(at("Asia/Kathmandu")).toBe("05:45")
    expect(at("UTC")).toBe("00:00")
    expect(at("America/New_York")).toBe("19:00")
    expect(at("Australia/Lord_Howe")).toBe("11:00")
    expect(at("Asia/Kolkata", Date.parse("2026-01-01T18:30:00Z"))).toBe("00:00")
    expect(at("Asia/Kolkata", Date.parse("2026-01-01T18:29:59.999Z"))).toBe("23:59")
  })

  it("names the zone it was computed in", () => {
    const config: TimingConfig = { ...defaultTimingConfig, timezone: "Europe/London" }
    expect(checkTiming(0, config).timezone).toBe("Europe/London")
  })
})
