// Wall-clock arithmetic in an IANA timezone, on top of Intl.DateTimeFormat.
//
// Assumption shared by everything here: a zone's UTC offset is a whole number of minutes and changes
// at most once in any 24 hours. Both hold for all 419 zones of Node 20's ICU data from mid-1972 to 2040
// (a scan found no offset with seconds and no two changes less than 7 days apart); older local mean
// times had seconds (Asia/Kolkata was +05:21:10 in 1900) and are read to the minute. Under it the offset is constant within each UTC minute, so the local wall clock
// is `instant + offset` and a decision made for any instant of a minute holds for the whole minute.

const msPerMinute = 60_000
const msPerHour = 60 * msPerMinute
export const minutesPerDay = 1440

/** Sampling step when looking for the next offset change: shorter than the shortest gap between two changes. */
const offsetSampleStepMs = 24 * msPerHour

const formatters = new Map<string, Intl.DateTimeFormat>()

const formatterFor = (zone: string): Intl.DateTimeFormat => {
  const cached = formatters.get(zone)
  if (cached !== undefined) return cached
  // Locale, calendar and numbering system are pinned so the parts are always Gregorian ASCII digits;
  // h23 because `hour12: false` alone formats midnight as "24" on some ICU versions.
  const formatter = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    calendar: "gregory",
    numberingSystem: "latn",
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  })
  formatters.set(zone, formatter)
  return formatter
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil); no Date.UTC 0–99 year quirk. */
export const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

/** The inverse of `daysFromCivil`. */
export const civilFromDays = (days: number): { year: number; month: number; day: number } => {
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const dayOfEra = z - era * 146_097
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  )
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const mp = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

const pad2 = (n: number): string => String(n).padStart(2, "0")

/** "YYYY-MM-DD" of a day number, the form holidays are written in. */
export const isoDateOfDay = (days: number): string => {
  const { year, month, day } = civilFromDays(days)
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`
}

/** 0 = Sunday … 6 = Saturday; day 0 (1970-01-01) was a Thursday. */
export const weekdayOfDay = (days: number): number => (((days + 4) % 7) + 7) % 7

const offsetFromIntl = (minuteStart: number, zone: string): number => {
  let year = 0
  let month = 0
  let day = 0
  let hour = 0
  let minute = 0
  for (const part of formatterFor(zone).formatToParts(minuteStart)) {
    if (part.type === "year") year = Number(part.value)
    else if (part.type === "month") month = Number(part.value)
    else if (part.type === "day") day = Number(part.value)
    else if (part.type === "hour") hour = Number(part.value)
    else if (part.type === "minute") minute = Number(part.value)
  }
  const wallMinutes = daysFromCivil(year, month, day) * minutesPerDay + hour * 60 + minute
  return wallMinutes - minuteStart / msPerMinute
}

// formatToParts costs several microseconds and callers walk consecutive minutes, so offsets are
// memoised per UTC hour whenever the hour's first and last minute agree (by the assumption above the
// offset cannot change and change back within one hour). Bounded so a long-lived process cannot grow it.
const hourOffsets = new Map<string, Map<number, number>>()
const hourOffsetsLimit = 100_000

const floorMinute = (instant: number): number => Math.floor(instant / msPerMinute) * msPerMinute

/** The zone's UTC offset in minutes at an instant (local = UTC + offset); e.g. 330 in Asia/Kolkata. */
export const offsetMinutesAt = (instant: number, zone: string): number => {
  const minuteStart = floorMinute(instant)
  const hour = Math.floor(minuteStart / msPerHour)
  let byHour = hourOffsets.get(zone)
  if (byHour === undefined) {
    byHour = new Map()
    hourOffsets.set(zone, byHour)
  }
  const known = byHour.get(hour)
  if (known !== undefined) return known
  const first = offsetFromIntl(hour * msPerHour, zone)
  const last = offsetFromIntl(hour * msPerHour + 59 * msPerMinute, zone)
  if (first !== last) return offsetFromIntl(minuteStart, zone)
  if (byHour.size >= hourOffsetsLimit) byHour.clear()
  byHour.set(hour, first)
  return first
}

/** The local wall clock at an instant. */
export interface LocalTime {
  /** Days since 1970-01-01 of the local date. */
  readonly day: number
  /** Minutes since local midnight, 0–1439. */
  readonly minuteOfDay: number
  /** "HH:mm". */
  readonly clock: string
}

/** The local minute number (minutes since 1970-01-01 00:00 local) at an instant. */
export const localMinuteAt = (instant: number, zone: string): number =>
  Math.floor(instant / msPerMinute) + offsetMinutesAt(instant, zone)

export const localTimeAt = (instant: number, zone: string): LocalTime => {
  const localMinute = localMinuteAt(instant, zone)
  const day = Math.floor(localMinute / minutesPerDay)
  const minuteOfDay = localMinute - day * minutesPerDay
  return { day, minuteOfDay, clock: `${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}` }
}

/**
 * The first minute boundary in (instant, instant + horizonMs] where the zone's offset differs from its
 * offset at `instant`, or null when there is none. Samples every 24 h and bisects to the minute.
 */
export const nextOffsetChange = (instant: number, zone: string, horizonMs: number): number | null => {
  const base = offsetMinutesAt(instant, zone)
  const last = floorMinute(instant + horizonMs)
  let low = floorMinute(instant)
  while (low < last) {
    let high = Math.min(low + offsetSampleStepMs, last)
    if (offsetMinutesAt(high, zone) !== base) {
      // Invariant: offset(low) = base, offset(high) ≠ base; one change lies in (low, high].
      while (high - low > msPerMinute) {
        const middle = low + Math.floor((high - low) / msPerMinute / 2) * msPerMinute
        if (offsetMinutesAt(middle, zone) === base) low = middle
        else high = middle
      }
      return high
    }
    low = high
  }
  return null
}
