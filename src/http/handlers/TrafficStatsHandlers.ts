// GET /calls/stats: the repository's aggregates, with the rates the seed's monitoring section defines.
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { periodHours } from "../../domain/periods.js"
import { ratio, rounded } from "../../policy/ratios.js"
import { TrafficStatsRepo } from "../../store/TrafficStatsRepo.js"
import { GatewayApi } from "../GatewayApi.js"

export const TrafficStatsHandlersLive = HttpApiBuilder.group(GatewayApi, "trafficStats", (handlers) =>
  Effect.map(TrafficStatsRepo, (repo) =>
    handlers.handle("stats", ({ urlParams }) =>
      Effect.map(repo.stats(periodHours[urlParams.period]), ({ calls, sms }) => ({
        period: urlParams.period,
        calls: {
          total: calls.total,
          byStatus: calls.byStatus,
          completed: calls.completed,
          answered: calls.answered,
          failed: calls.failed,
          successRate: ratio(calls.completed, calls.total),
          answerRate: ratio(calls.answered, calls.total),
          averageDurationSeconds: rounded(calls.averageDuration, 1),
        },
        sms: {
          total: sms.total,
          byStatus: sms.byStatus,
          sent: sms.sent,
          delivered: sms.delivered,
          failed: sms.failed,
          segments: sms.segments,
          deliveryRate: ratio(sms.delivered, sms.sent),
        },
      })),
    ),
  ),
)
