// A daily window of local minutes, written as two "HH:mm" clock times.

/**
 * The local minutes [start, end) of every day, in minutes since midnight (0–1440).
 * - end < start crosses midnight: 21:00–09:00 holds 21:00…23:59 and 00:00…08:59;
 * - start = end is empty, so a DND of 00:00–00:00 means "no DND" rather than "DND all day";
 * - "24:00" is the end of the day, so 00:00–24:00 is the whole day.
 */
export interface DailyWindow {
  readonly start: number
  readonly end: number
  /** "09:00–21:00", as the reasons name it. */
  readonly label: string
}

/** Minutes since midnight of a `ClockTime` ("HH:mm", or "24:00" for the end of the day). */
export const minutesOfClock = (clock: string): number => {
  const [hours = "", minutes = ""] = clock.split(":")
  return Number(hours) * 60 + Number(minutes)
}

export const dailyWindow = (start: string, end: string): DailyWindow => ({
  start: minutesOfClock(start),
  end: minutesOfClock(end),
  label: `${start}–${end}`,
})

/** Whether a minute of the day (0–1439) lies in the window. */
export const windowContains = (window: DailyWindow, minuteOfDay: number): boolean =>
  window.start < window.end
    ? minuteOfDay >= window.start && minuteOfDay < window.end
    : window.start > window.end && (minuteOfDay >= window.start || minuteOfDay < window.end)
