// The dashboard periods the seed's stats endpoints take, and the hours each covers.
import { Schema } from "effect"

export const Period = Schema.Literal("24h", "7d", "30d").annotations({
  message: (issue) => ({
    message: `must be 24h, 7d or 30d, got ${JSON.stringify(issue.actual)}`,
    override: true,
  }),
})
export type Period = typeof Period.Type

export const periodHours: Record<Period, number> = { "24h": 24, "7d": 24 * 7, "30d": 24 * 30 }

/** How a period is cut into a chart's buckets: hours for a day, days for a week or a month. */
export const periodBuckets: Record<Period, { readonly unit: "hour" | "day"; readonly count: number }> = {
  "24h": { unit: "hour", count: 24 },
  "7d": { unit: "day", count: 7 },
  "30d": { unit: "day", count: 30 },
}
