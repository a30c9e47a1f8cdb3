// The seed's monitoring figures for calls and SMS ("Key Metrics to Monitor" 1–4): the seed lists them but
// names no endpoint, so they sit beside the call log as GET /calls/stats.
// The request and response schemas; the endpoints are src/http/api/TrafficStatsApi.ts.
import { Schema } from "effect"
import { Period } from "../domain/periods.js"

const Rate = Schema.NullOr(Schema.Number)
const ByStatus = Schema.Record({ key: Schema.String, value: Schema.Number })

export const TrafficStats = Schema.Struct({
  period: Period,
  calls: Schema.Struct({
    total: Schema.Number,
    byStatus: ByStatus,
    completed: Schema.Number,
    answered: Schema.Number,
    failed: Schema.Number,
    /** Completed / total attempts. */
    successRate: Rate,
    /** Answered (completed or in progress) / total. */
    answerRate: Rate,
    /** Over completed calls. */
    averageDurationSeconds: Rate,
  }),
  sms: Schema.Struct({
    total: Schema.Number,
    byStatus: ByStatus,
    sent: Schema.Number,
    delivered: Schema.Number,
    failed: Schema.Number,
    segments: Schema.Number,
    /** Delivered / sent. */
    deliveryRate: Rate,
  }),
}).annotations({ identifier: "TrafficStats" })

/** The period the figures cover (7d when left out). */
export const TrafficStatsQuery = Schema.Struct({
  period: Schema.optionalWith(Period, { default: () => "7d" as const }),
})
