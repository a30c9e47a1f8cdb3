// GET /stats/series: the repository's buckets, with the rates of each, on the timing configuration's clock.
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import type { StatsBucket } from "../../api/statsSeries.js"
import { Settings } from "../../config/Settings.js"
import { periodBuckets } from "../../domain/periods.js"
import { ratio, rounded } from "../../policy/ratios.js"
import { type BucketRow, StatsSeriesRepo } from "../../store/StatsSeriesRepo.js"
import { GatewayApi } from "../GatewayApi.js"

const bucketOf = (r: BucketRow): StatsBucket => ({
  start: r.start,
  calls: { total: r.callsTotal, answered: r.callsAnswered, answerRate: ratio(r.callsAnswered, r.callsTotal) },
  nerveCalls: {
    total: r.nerveTotal,
    answered: r.nerveAnswered,
    answerRate: ratio(r.nerveAnswered, r.nerveTotal),
  },
  vendor: {
    calls: r.vendorCalls,
    accepted: r.vendorAccepted,
    rejected: r.vendorRejected,
    noAnswer: r.vendorNoAnswer,
    acceptanceRate: ratio(r.vendorAccepted, r.vendorAccepted + r.vendorRejected + r.vendorNoAnswer),
  },
  cqa: {
    analyses: r.analyses,
    averageSentiment: rounded(r.averageSentiment, 2),
    compliancePassRate: ratio(r.compliancePassed, r.complianceChecked),
  },
})

export const StatsSeriesHandlersLive = HttpApiBuilder.group(GatewayApi, "statsSeries", (handlers) =>
  Effect.gen(function* () {
    const repo = yield* StatsSeriesRepo
    const settings = yield* Settings
    return handlers.handle("series", ({ urlParams }) =>
      Effect.gen(function* () {
        const { timezone } = (yield* settings.current).timing
        const plan = periodBuckets[urlParams.period]
        const rows = yield* repo.series({ ...plan, timezone })
        return { period: urlParams.period, bucket: plan.unit, timezone, buckets: rows.map(bucketOf) }
      }),
    )
  }),
)
