// The console's charts: the period cut into time buckets (hours for 24h, days for 7d and 30d), each with its call
// volume, answer rates, vendor confirmations' outcomes and CQA scores.
// The request and response schemas; the endpoint is src/http/api/StatsSeriesApi.ts.
import { Schema } from "effect"
import { Period } from "../domain/periods.js"

const Rate = Schema.NullOr(Schema.Number)

export const StatsBucket = Schema.Struct({
  /** The bucket's first instant, ISO 8601 in UTC; it runs for one `bucket` from there. */
  start: Schema.String,
  calls: Schema.Struct({
    /** Calls of the calls table placed in the bucket: click-to-call, verified, scheduled and campaign calls. */
    total: Schema.Number,
    /** Of those, Exotel's completed or in-progress (answered). */
    answered: Schema.Number,
    /** answered / total; null when no call was placed. */
    answerRate: Rate,
  }),
  nerveCalls: Schema.Struct({
    /** Nerve voice calls (vendor and rider) created in the bucket. */
    total: Schema.Number,
    /** Of those, the ones a person picked up. */
    answered: Schema.Number,
    answerRate: Rate,
  }),
  vendor: Schema.Struct({
    /** Vendor-confirmation calls created in the bucket. */
    calls: Schema.Number,
    /** Accepted, with or without a prep time. */
    accepted: Schema.Number,
    rejected: Schema.Number,
    /** Ended without a decision: no response, busy or failed. */
    noAnswer: Schema.Number,
    /** accepted / (accepted + rejected + noAnswer); null when none had ended. */
    acceptanceRate: Rate,
  }),
  cqa: Schema.Struct({
    analyses: Schema.Number,
    /** The mean sentiment score of the analyses that scored sentiment; null when none did. */
    averageSentiment: Rate,
    /** Passed / checked, of the analyses that checked compliance; null when none did. */
    compliancePassRate: Rate,
  }),
}).annotations({ identifier: "StatsBucket" })
export type StatsBucket = typeof StatsBucket.Type

export const StatsSeries = Schema.Struct({
  period: Period,
  bucket: Schema.Literal("hour", "day"),
  /** The timing configuration's timezone: hours and days begin on its clock. */
  timezone: Schema.String,
  /** Oldest first, one per bucket, the current (partial) one last; a bucket with no data is there with zeros. */
  buckets: Schema.Array(StatsBucket),
}).annotations({ identifier: "StatsSeries" })

/** The period the series covers (24h when left out). */
export const StatsSeriesQuery = Schema.Struct({
  period: Schema.optionalWith(Period, { default: () => "24h" as const, exact: true }),
})
