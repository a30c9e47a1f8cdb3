// The CQA endpoints: thin — the feature flag, then CallQuality or the repository's aggregates.
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { CallQuality } from "../../actors/CallQuality.js"
import { Settings } from "../../config/Settings.js"
import { Forbidden } from "../../domain/errors.js"
import { periodHours } from "../../domain/periods.js"
import { ratio, rounded } from "../../policy/ratios.js"
import { CqaResultsRepo } from "../../store/CqaResultsRepo.js"
import { GatewayApi } from "../GatewayApi.js"

export const CqaHandlersLive = HttpApiBuilder.group(GatewayApi, "cqa", (handlers) =>
  Effect.gen(function* () {
    const quality = yield* CallQuality
    const repo = yield* CqaResultsRepo
    const settings = yield* Settings
    return handlers
      .handle("analyze", ({ payload }) =>
        Effect.gen(function* () {
          if (!(yield* settings.current).features.cqaEnabled)
            return yield* new Forbidden({ message: "The cqaEnabled feature is switched off" })
          return yield* quality.analyze(payload)
        }),
      )
      .handle("stats", ({ urlParams }) =>
        Effect.map(repo.stats(periodHours[urlParams.period]), ({ totals: t, mostMissed, topKeywords }) => ({
          period: urlParams.period,
          analyses: t.analyses,
          callsAnalysed: t.calls,
          byType: {
            sentiment: t.sentimentType,
            keywords: t.keywordsType,
            compliance: t.complianceType,
            full: t.fullType,
          },
          withTranscript: t.withTranscript,
          acoustics: {
            audioSeconds: rounded(t.audioSeconds ?? 0) ?? 0,
            talkRatio: ratio(t.talkSeconds ?? 0, t.audioSeconds ?? 0),
            averageLongestSilenceSeconds: rounded(t.averageLongestSilence),
            maxLongestSilenceSeconds: rounded(t.maxLongestSilence),
            averageClippingRatio: rounded(t.averageClipping, 5),
            averageRmsDbfs: rounded(t.averageRms, 2),
            averageOverlapSeconds: rounded(t.averageOverlap),
            interruptions: t.interruptions ?? 0,
          },
          sentiment: {
            positive: t.positive,
            neutral: t.neutral,
            negative: t.negative,
            averageScore: rounded(t.averageSentiment, 2),
          },
          compliance: {
            checked: t.complianceChecked,
            passed: t.compliancePassed,
            passRate: ratio(t.compliancePassed, t.complianceChecked),
            mostMissed: mostMissed.map((m) => ({ name: m.name, count: m.n })),
          },
          keywords: { top: topKeywords.map((k) => ({ name: k.name, count: k.n })) },
        })),
      )
  }),
)
