// The timing decision for an instant: may this purpose call or message now, and if not, from when.
import type { CallPurpose } from "../../domain/CallPurpose.js"
import type { Channel, TimingConfig } from "../../domain/Timing.js"
import { promoSmsRule, type TimingRule, timingRuleFor } from "./purposeRules.js"
import { type DailyWindow, dailyWindow, windowContains } from "./windows.js"
import {
  daysFromCivil,
  isoDateOfDay,
  localMinuteAt,
  localTimeAt,
  minutesPerDay,
  nextOffsetChange,
  offsetMinutesAt,
  weekdayOfDay,
} from "./zone.js"

export interface TimingDecision {
  /** May a call for this purpose be placed now. */
  readonly canCall: boolean
  /** May an SMS for this purpose be sent now. */
  readonly canSms: boolean
  /** May a promotional SMS be sent now, whatever the purpose. */
  readonly canPromoSms: boolean
  /** Why the asked purpose and channel is not allowed now; null when it is. */
  readonly reason: string | null
  /**
   * Epoch ms of the first instant ≥ now at which the asked purpose and channel is allowed; null when it
   * is allowed now, or when nothing is allowed within the horizon (then `reason` is `horizonReason`).
   */
  readonly nextAvailableTime: number | null
  /** Local wall clock "HH:mm" in the configured timezone. */
  readonly currentTime: string
  readonly timezone: string
}

/** How far ahead `nextAllowedInstant` looks: over a year, so yearly holidays and both DST changes are crossed. */
export const horizonDays = 400
const horizonMs = horizonDays * 86_400_000

export const horizonReason = `No allowed time within ${horizonDays} days`

const msPerMinute = 60_000

/** A `TimingConfig` read once: windows as minutes, holidays as local day numbers. */
interface TimingCalendar {
  readonly zone: string
  readonly business: DailyWindow
  readonly dnd: DailyWindow
  readonly promo: DailyWindow
  readonly weekendCallsAllowed: boolean
  readonly holidays: ReadonlySet<number>
  /** `firstAllowedMinutes` per rule, filled on first use. */
  readonly firstAllowed: Map<TimingRule, Int16Array>
}

const dayOfIsoDate = (date: string): number => {
  const [year = 0, month = 0, day = 0] = date.split("-").map(Number)
  return daysFromCivil(year, month, day)
}

// A config is an immutable value that callers reuse for every instant they ask about (a scheduler's
// sweep, a minute-by-minute test), so it is read once; a WeakMap lets it go when the caller does.
const calendars = new WeakMap<TimingConfig, TimingCalendar>()

const calendarOf = (config: TimingConfig): TimingCalendar => {
  const cached = calendars.get(config)
  if (cached !== undefined) return cached
  const calendar: TimingCalendar = {
    zone: config.timezone,
    business: dailyWindow(config.businessHoursStart, config.businessHoursEnd),
    dnd: dailyWindow(config.dndStart, config.dndEnd),
    promo: dailyWindow(config.promoSmsStart, config.promoSmsEnd),
    weekendCallsAllowed: config.weekendCallsAllowed,
    holidays: new Set(config.holidays.map(dayOfIsoDate)),
    firstAllowed: new Map(),
  }
  calendars.set(config, calendar)
  return calendar
}

const isWeekend = (day: number): boolean => {
  const weekday = weekdayOfDay(day)
  return weekday === 0 || weekday === 6
}

// The reasons are the rules: a day or minute is allowed exactly when it has no reason against it.

/** DND, named first when several rules are broken because it is the legal one. */
const dndReason = (
  calendar: TimingCalendar,
  rule: TimingRule,
  noun: string,
  minuteOfDay: number,
): string | null =>
  rule.outsideDnd && windowContains(calendar.dnd, minuteOfDay)
    ? `DND hours (${calendar.dnd.label}) - ${noun} not allowed`
    : null

const dayReason = (calendar: TimingCalendar, rule: TimingRule, noun: string, day: number): string | null => {
  if (!rule.workingDay) return null
  if (calendar.holidays.has(day)) return `Holiday ${isoDateOfDay(day)} - ${noun} not allowed`
  if (isWeekend(day) && !calendar.weekendCallsAllowed) return `Weekend - ${noun} not allowed`
  return null
}

const windowReason = (calendar: TimingCalendar, rule: TimingRule, minuteOfDay: number): string | null => {
  if (rule.businessHours && !windowContains(calendar.business, minuteOfDay))
    return `Outside business hours (${calendar.business.label})`
  if (rule.promoWindow && !windowContains(calendar.promo, minuteOfDay))
    return `Outside the promotional window (${calendar.promo.label})`
  return null
}

const reasonAt = (
  calendar: TimingCalendar,
  rule: TimingRule,
  noun: string,
  day: number,
  minuteOfDay: number,
): string | null =>
  dndReason(calendar, rule, noun, minuteOfDay) ??
  dayReason(calendar, rule, noun, day) ??
  windowReason(calendar, rule, minuteOfDay)

const dayAllowed = (calendar: TimingCalendar, rule: TimingRule, day: number): boolean =>
  dayReason(calendar, rule, "", day) === null

const minuteAllowed = (calendar: TimingCalendar, rule: TimingRule, minuteOfDay: number): boolean =>
  dndReason(calendar, rule, "", minuteOfDay) === null && windowReason(calendar, rule, minuteOfDay) === null

const nounOf = (channel: Channel): string => (channel === "call" ? "calls" : "SMS")

/**
 * For each minute of the day m, the first minute ≥ m that the daily windows allow; `minutesPerDay`
 * when none is left that day. Index `minutesPerDay` is the sentinel.
 */
const firstAllowedMinutes = (calendar: TimingCalendar, rule: TimingRule): Int16Array => {
  const cached = calendar.firstAllowed.get(rule)
  if (cached !== undefined) return cached
  const first = new Int16Array(minutesPerDay + 1)
  first[minutesPerDay] = minutesPerDay
  for (let minute = minutesPerDay - 1; minute >= 0; minute--) {
    first[minute] = minuteAllowed(calendar, rule, minute) ? minute : (first[minute + 1] ?? minutesPerDay)
  }
  calendar.firstAllowed.set(rule, first)
  return first
}

/**
 * The first allowed instant in [from, limit), supposing the zone keeps its offset at `from`. Within
 * one offset the local minute is UTC minute + offset, so each local day's first allowed minute maps
 * straight back to an instant.
 */
const firstAllowedAtOffset = (
  calendar: TimingCalendar,
  rule: TimingRule,
  first: Int16Array,
  offset: number,
  from: number,
  limit: number,
): number | null => {
  const localMinute = Math.floor(from / msPerMinute) + offset
  let day = Math.floor(localMinute / minutesPerDay)
  let minuteOfDay = localMinute - day * minutesPerDay
  while ((day * minutesPerDay + minuteOfDay - offset) * msPerMinute < limit) {
    if (dayAllowed(calendar, rule, day)) {
      const allowed = first[minuteOfDay] ?? minutesPerDay
      if (allowed < minutesPerDay) {
        // The minute holding `from` may start before it; the whole minute shares one decision.
        const instant = Math.max(from, (day * minutesPerDay + allowed - offset) * msPerMinute)
        return instant < limit ? instant : null
      }
    }
    day += 1
    minuteOfDay = 0
  }
  return null
}

const nextAllowed = (instant: number, calendar: TimingCalendar, rule: TimingRule): number | null => {
  const first = firstAllowedMinutes(calendar, rule)
  if (first[0] === minutesPerDay) return null
  const limit = instant + horizonMs
  let from = instant
  // Each pass either finds an answer the offset holds for, or moves to the next offset change (DST).
  while (from < limit) {
    const offset = offsetMinutesAt(from, calendar.zone)
    const candidate = firstAllowedAtOffset(calendar, rule, first, offset, from, limit)
    const change = nextOffsetChange(from, calendar.zone, (candidate ?? limit) - from)
    if (change === null) return candidate
    from = change
  }
  return null
}

/** Whether the purpose (service traffic when absent) may use the channel at the instant. */
export const isAllowedAt = (
  instant: number,
  config: TimingConfig,
  purpose?: CallPurpose,
  channel: Channel = "call",
): boolean => {
  const calendar = calendarOf(config)
  const localMinute = localMinuteAt(instant, calendar.zone)
  const day = Math.floor(localMinute / minutesPerDay)
  const rule = timingRuleFor(purpose, channel)
  return dayAllowed(calendar, rule, day) && minuteAllowed(calendar, rule, localMinute - day * minutesPerDay)
}

/**
 * The first instant ≥ `instant` at which the purpose may use the channel: `instant` itself when it
 * is allowed now, null when nothing is allowed within `horizonDays`. Exact across DST changes,
 * including the spring-forward gap (the answer may be the change itself) and the fall-back repeat.
 */
export const nextAllowedInstant = (
  instant: number,
  config: TimingConfig,
  purpose?: CallPurpose,
  channel: Channel = "call",
): number | null => nextAllowed(instant, calendarOf(config), timingRuleFor(purpose, channel))

/** The full decision for a purpose (service traffic when absent) and channel (a call when absent). */
export const checkTiming = (
  instant: number,
  config: TimingConfig,
  purpose?: CallPurpose,
  channel: Channel = "call",
): TimingDecision => {
  const calendar = calendarOf(config)
  const local = localTimeAt(instant, calendar.zone)
  const allowedNow = (rule: TimingRule): boolean =>
    dayAllowed(calendar, rule, local.day) && minuteAllowed(calendar, rule, local.minuteOfDay)
  const rule = timingRuleFor(purpose, channel)
  const reason = reasonAt(calendar, rule, nounOf(channel), local.day, local.minuteOfDay)
  const nextAvailableTime = reason === null ? null : nextAllowed(instant, calendar, rule)
  return {
    canCall: allowedNow(timingRuleFor(purpose, "call")),
    canSms: allowedNow(timingRuleFor(purpose, "sms")),
    canPromoSms: allowedNow(promoSmsRule),
    reason: reason !== null && nextAvailableTime === null ? horizonReason : reason,
    nextAvailableTime,
    currentTime: local.clock,
    timezone: calendar.zone,
  }
}
