// The seed's monitoring figures for calls and SMS ("Key Metrics to Monitor" 1–4): the seed lists them but
// names no endpoint, so they sit beside the call log as GET /calls/stats.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { Period } from "../../domain/periods.js"
import { Guard, requires } from "../Authentication.js"

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

export const TrafficStatsApi = HttpApiGroup.make("trafficStats")
  .add(
    HttpApiEndpoint.get("stats", "/calls/stats")
      .annotate(OpenApi.Summary, "Read the call and SMS statistics")
      .setUrlParams(Schema.Struct({ period: Schema.optionalWith(Period, { default: () => "7d" as const }) }))
      .addSuccess(TrafficStats)
      .pipe(requires("viewer"))
      .annotate(
        OpenApi.Description,
        "Call success rate (completed / attempts), answer rate, average duration of completed calls, and SMS " +
          "delivery rate (delivered / sent) for the period.",
      ),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Call and SMS statistics")
  .annotate(OpenApi.Description, "Success, answer and delivery rates of the calls and SMS of a period.")
