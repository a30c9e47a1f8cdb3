// A brute-force reference for the timing policy, written apart from src/policy/timing on purpose:
// it reads the wall clock from its own Intl formatter, compares "HH:mm" strings instead of minutes,
// and restates the purpose table, so a shared mistake would have to be made twice.
import type { CallPurpose } from "../../src/domain/CallPurpose.js"
import type { Channel, TimingConfig } from "../../src/domain/Timing.js"

export const minuteMs = 60_000
export const dayMs = 86_400_000

const formatters = new Map<string, Intl.DateTimeFormat>()

/** The local wall clock at an instant: date "YYYY-MM-DD", clock "HH:mm" and weekday "Mon".."Sun". */
export const wallClock = (
  instant: number,
  zone: string,
): { date: string; clock: string; weekday: string } => {
  let formatter = formatters.get(zone)
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    })
    formatters.set(zone, formatter)
  }
  // format() and a regex are three times faster than formatToParts, which matters minute by minute.
  const text = formatter.format(instant)
  const match = /^(\w{3}), (\d{2})\/(\d{2})\/(\d{4}), (\d{2}):(\d{2})$/.exec(text)
  if (match === null) throw new Error(`unexpected wall clock format ${JSON.stringify(text)}`)
  const [, weekday = "", month = "", day = "", year = "", hour = "", minute = ""] = match
  return { date: `${year}-${month}-${day}`, clock: `${hour}:${minute}`, weekday }
}

const transactional: ReadonlySet<CallPurpose> = new Set([
  "order_confirmation",
  "otp_verification",
  "delivery_update",
])
const promotional: ReadonlySet<CallPurpose> = new Set(["promotional_offer", "abandoned_cart"])

// "24:00" sorts after every "HH:mm" of a day, so string order is clock order including the end of day.
const inWindow = (clock: string, start: string, end: string): boolean =>
  start < end ? start <= clock && clock < end : start > end && (clock >= start || clock < end)

export const referenceAllowed = (
  instant: number,
  config: TimingConfig,
  purpose: CallPurpose | undefined,
  channel: Channel,
): boolean => {
  if (purpose !== undefined && transactional.has(purpose)) return true
  const { date, clock, weekday } = wallClock(instant, config.timezone)
  const isPromotional = purpose !== undefined && promotional.has(purpose)
  const outsideDnd = !inWindow(clock, config.dndStart, config.dndEnd)
  const inPromo = inWindow(clock, config.promoSmsStart, config.promoSmsEnd)
  if (channel === "sms") return outsideDnd && (!isPromotional || inPromo)
  const workingDay =
    !config.holidays.includes(date) &&
    (config.weekendCallsAllowed || (weekday !== "Sat" && weekday !== "Sun"))
  return (
    workingDay &&
    outsideDnd &&
    inWindow(clock, config.businessHoursStart, config.businessHoursEnd) &&
    (!isPromotional || inPromo)
  )
}

/** The first instant ≥ now that the reference allows, scanning minute boundaries up to now + horizonMs. */
export const referenceFirstAllowed = (
  now: number,
  config: TimingConfig,
  purpose: CallPurpose | undefined,
  channel: Channel,
  horizonMs: number,
): number | null => {
  if (referenceAllowed(now, config, purpose, channel)) return now
  for (let t = Math.floor(now / minuteMs) * minuteMs + minuteMs; t <= now + horizonMs; t += minuteMs) {
    if (referenceAllowed(t, config, purpose, channel)) return t
  }
  return null
}
