// The cqa_results rows: one per analysis, and the period aggregates GET /cqa/stats shows, computed in SQL.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Schema } from "effect"
import type { CallAnalysis } from "../policy/cqa/analysis.js"

export interface StoredAnalysis {
  readonly id: string
  readonly callSid: string
  readonly audioSource: "recording" | "stream"
  readonly analysis: CallAnalysis
  readonly purpose: string | null
  readonly result: unknown
}

const Num = Schema.Union(Schema.Number, Schema.NumberFromString)
const NullableNum = Schema.NullOr(Num)

const Totals = Schema.Struct({
  analyses: Num,
  calls: Num,
  sentimentType: Num,
  keywordsType: Num,
  complianceType: Num,
  fullType: Num,
  withTranscript: Num,
  audioSeconds: NullableNum,
  talkSeconds: NullableNum,
  averageLongestSilence: NullableNum,
  maxLongestSilence: NullableNum,
  averageClipping: NullableNum,
  averageRms: NullableNum,
  averageOverlap: NullableNum,
  interruptions: NullableNum,
  positive: Num,
  neutral: Num,
  negative: Num,
  averageSentiment: NullableNum,
  complianceChecked: Num,
  compliancePassed: Num,
})

const Counted = Schema.Array(Schema.Struct({ kind: Schema.String, name: Schema.String, n: Num }))

export type CqaTotals = typeof Totals.Type

export interface CqaStats {
  readonly totals: CqaTotals
  readonly mostMissed: ReadonlyArray<{ readonly name: string; readonly n: number }>
  readonly topKeywords: ReadonlyArray<{ readonly name: string; readonly n: number }>
}

export interface CqaResultsRepoShape {
  readonly insert: (row: StoredAnalysis) => Effect.Effect<void>
  readonly stats: (sinceHours: number) => Effect.Effect<CqaStats>
}

export class CqaResultsRepo extends Context.Tag("CqaResultsRepo")<CqaResultsRepo, CqaResultsRepoShape>() {}

export const CqaResultsRepoLive = Layer.effect(
  CqaResultsRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return CqaResultsRepo.of({
      insert: (row) => {
        const { acoustics, sentiment, compliance, keywords } = row.analysis
        return sql`
          -- The text arrays go in as JSON: the generic SqlClient has no array parameter.
          INSERT INTO cqa_results (id, call_sid, analysis_type, audio_source, transcript_source, purpose,
            duration_seconds, talk_seconds, longest_silence_seconds, overlap_seconds, interruptions, clipping_ratio,
            rms_dbfs, sentiment_label, sentiment_score, compliance_passed, missing_phrases, keywords, result)
          VALUES (${row.id}, ${row.callSid}, ${row.analysis.analysisType}, ${row.audioSource},
            ${row.analysis.transcript.source}, ${row.purpose}, ${acoustics.durationSeconds}, ${acoustics.talkSeconds},
            ${acoustics.longestSilenceSeconds}, ${acoustics.overlapSeconds}, ${acoustics.interruptions},
            ${acoustics.clippingRatio}, ${acoustics.rmsDbfs}, ${sentiment?.label ?? null}, ${sentiment?.score ?? null},
            ${compliance?.passed ?? null}, 
            ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(compliance?.missing ?? [])}::jsonb)),
            ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify((keywords?.hits ?? []).map((k) => k.keyword))}::jsonb)),
            ${JSON.stringify(row.result)}::jsonb)`.pipe(Effect.asVoid, Effect.orDie)
      },
      stats: (sinceHours) =>
        Effect.gen(function* () {
          const since = sql`created_at >= NOW() - make_interval(hours => ${sinceHours})`
          const [totals] = yield* sql`
            SELECT COUNT(*) AS analyses, COUNT(DISTINCT call_sid) AS calls,
              COUNT(*) FILTER (WHERE analysis_type = 'sentiment') AS sentiment_type,
              COUNT(*) FILTER (WHERE analysis_type = 'keywords') AS keywords_type,
              COUNT(*) FILTER (WHERE analysis_type = 'compliance') AS compliance_type,
              COUNT(*) FILTER (WHERE analysis_type = 'full') AS full_type,
              COUNT(*) FILTER (WHERE transcript_source <> 'none') AS with_transcript,
              SUM(duration_seconds) AS audio_seconds, SUM(talk_seconds) AS talk_seconds,
              AVG(longest_silence_seconds) AS average_longest_silence,
              MAX(longest_silence_seconds) AS max_longest_silence,
              AVG(clipping_ratio) AS average_clipping, AVG(rms_dbfs) AS average_rms,
              AVG(overlap_seconds) AS average_overlap, SUM(interruptions) AS interruptions,
              COUNT(*) FILTER (WHERE sentiment_label = 'positive') AS positive,
              COUNT(*) FILTER (WHERE sentiment_label = 'neutral') AS neutral,
              COUNT(*) FILTER (WHERE sentiment_label = 'negative') AS negative,
              AVG(sentiment_score) AS average_sentiment,
              COUNT(compliance_passed) AS compliance_checked,
              COUNT(*) FILTER (WHERE compliance_passed) AS compliance_passed
            FROM cqa_results WHERE ${since}`.pipe(Effect.flatMap(Schema.decodeUnknown(Schema.Array(Totals))))
          // Both arrays in one scan; the groups are as many as the configured phrases and keywords, a few dozen.
          const heard = yield* sql`
            SELECT said.kind, said.name, COUNT(*) AS n
            FROM cqa_results,
              LATERAL (SELECT 'missing' AS kind, unnest(missing_phrases) AS name
                       UNION ALL SELECT 'keyword', unnest(keywords)) AS said
            WHERE ${since} GROUP BY said.kind, said.name`.pipe(Effect.flatMap(Schema.decodeUnknown(Counted)))
          const top = (kind: string) =>
            heard
              .filter((h) => h.kind === kind)
              .sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
              .slice(0, 10)
              .map(({ name, n }) => ({ name, n }))
          const mostMissed = top("missing")
          const topKeywords = top("keyword")
          if (totals === undefined) return yield* Effect.dieMessage("an aggregate answered no row")
          return { totals, mostMissed, topKeywords }
        }).pipe(Effect.orDie),
    })
  }),
)
