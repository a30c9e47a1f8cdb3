// The timing configuration: business hours, DND and promotional windows in one IANA timezone.
import { Schema } from "effect"

/** A wall-clock time "HH:mm"; "24:00" is accepted as the end of a day so a window can cover it whole. */
export const ClockTime = Schema.String.pipe(
  Schema.filter((s) => /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/.test(s), {
    message: (issue) => `must be a time "HH:mm" between 00:00 and 24:00, got ${JSON.stringify(issue.actual)}`,
  }),
).annotations({ identifier: "ClockTime", examples: ["09:00", "21:30"] })

const knownTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** An IANA timezone name that this runtime's time zone database knows. */
export const TimeZone = Schema.String.pipe(
  Schema.filter(knownTimeZone, {
    message: (issue) =>
      `must be an IANA timezone such as "Asia/Kolkata", got ${JSON.stringify(issue.actual)}`,
  }),
).annotations({ identifier: "TimeZone", examples: ["Asia/Kolkata", "America/New_York"] })

const isCalendarDate = (s: string): boolean => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (match === null) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** A calendar date "YYYY-MM-DD", read in the configured timezone. */
export const IsoDate = Schema.String.pipe(
  Schema.filter(isCalendarDate, {
    message: (issue) => `must be a date "YYYY-MM-DD", got ${JSON.stringify(issue.actual)}`,
  }),
).annotations({ identifier: "IsoDate", examples: ["2026-01-26"] })

export const TimingConfig = Schema.Struct({
  businessHoursStart: ClockTime,
  businessHoursEnd: ClockTime,
  dndStart: ClockTime,
  dndEnd: ClockTime,
  promoSmsStart: ClockTime,
  promoSmsEnd: ClockTime,
  timezone: TimeZone,
  weekendCallsAllowed: Schema.Boolean,
  holidays: Schema.Array(IsoDate),
}).annotations({ identifier: "TimingConfig" })
export type TimingConfig = typeof TimingConfig.Type

export const defaultTimingConfig: TimingConfig = {
  businessHoursStart: "09:00",
  businessHoursEnd: "21:00",
  dndStart: "21:00",
  dndEnd: "09:00",
  promoSmsStart: "10:00",
  promoSmsEnd: "21:00",
  timezone: "Asia/Kolkata",
  weekendCallsAllowed: false,
  holidays: [],
}

/** What is being sent: a voice call or an SMS (promotional SMS is an SMS for a promotional purpose). */
export const Channel = Schema.Literal("call", "sms").annotations({
  identifier: "Channel",
  message: (issue) => ({
    message: `must be "call" or "sms", got ${JSON.stringify(issue.actual)}`,
    override: true,
  }),
})
export type Channel = typeof Channel.Type
