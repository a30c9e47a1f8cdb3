// The console's charts, computed in SQL: the period's buckets generated on the timing configuration's clock and
// each table counted per bucket, joined so that a bucket nothing happened in is a row of zeros, not a gap.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Schema } from "effect"

// COUNT is a bigint and AVG of a double a double: drivers hand either as text or as a number.
const Num = Schema.Union(Schema.Number, Schema.NumberFromString)

const BucketRow = Schema.Struct({
  start: Schema.String,
  callsTotal: Num,
  callsAnswered: Num,
  nerveTotal: Num,
  nerveAnswered: Num,
  vendorCalls: Num,
  vendorAccepted: Num,
  vendorRejected: Num,
  vendorNoAnswer: Num,
  analyses: Num,
  averageSentiment: Schema.NullOr(Num),
  complianceChecked: Num,
  compliancePassed: Num,
})
export type BucketRow = typeof BucketRow.Type

export interface SeriesPlan {
  readonly unit: "hour" | "day"
  readonly count: number
  /** An IANA timezone: an hour or a day begins on its clock (India's hours begin at :30 past in UTC). */
  readonly timezone: string
}

export class StatsSeriesRepo extends Context.Tag("StatsSeriesRepo")<
  StatsSeriesRepo,
  { readonly series: (plan: SeriesPlan) => Effect.Effect<ReadonlyArray<BucketRow>> }
>() {}

export const StatsSeriesRepoLive = Layer.effect(
  StatsSeriesRepo,
  Effect.map(SqlClient.SqlClient, (sql) =>
    StatsSeriesRepo.of({
      series: ({ unit, count, timezone: tz }) => {
        const span = (n: number) =>
          unit === "hour" ? sql`make_interval(hours => ${n})` : sql`make_interval(days => ${n})`
        const local = (column: string) => sql`date_trunc(${unit}, ${sql(column)} AT TIME ZONE ${tz})`
        // voice_calls keeps the seed's TIMESTAMP columns, written by NOW() in the session's zone: cast back first.
        const localVoice = sql`date_trunc(${unit}, created_at::timestamptz AT TIME ZONE ${tz})`
        return sql`
          WITH series AS (
            SELECT generate_series(
              date_trunc(${unit}, NOW() AT TIME ZONE ${tz}) - ${span(count - 1)},
              date_trunc(${unit}, NOW() AT TIME ZONE ${tz}),
              ${span(1)}) AS local_start
          ),
          since AS (SELECT MIN(local_start) AT TIME ZONE ${tz} AS at FROM series),
          placed AS (
            SELECT ${local("created_at")} AS local_start, COUNT(*) AS total,
              COUNT(*) FILTER (WHERE status IN ('completed', 'in-progress')) AS answered
            FROM calls WHERE created_at >= (SELECT at FROM since) GROUP BY 1
          ),
          -- Decisions as decisionOfStatus (src/domain/VoiceCall.ts) reads them; no decision and ended: no answer.
          nerve AS (
            SELECT ${localVoice} AS local_start, COUNT(*) AS total, COUNT(answered_at) AS answered,
              COUNT(*) FILTER (WHERE call_type = 'vendor_confirmation') AS vendor_calls,
              COUNT(*) FILTER (WHERE call_type = 'vendor_confirmation'
                AND status IN ('accepted', 'prep_time_set')) AS vendor_accepted,
              COUNT(*) FILTER (WHERE call_type = 'vendor_confirmation' AND status = 'rejected') AS vendor_rejected,
              COUNT(*) FILTER (WHERE call_type = 'vendor_confirmation'
                AND status IN ('no_response', 'busy', 'failed')) AS vendor_no_answer
            FROM voice_calls WHERE created_at >= (SELECT at FROM since) GROUP BY 1
          ),
          quality AS (
            SELECT ${local("created_at")} AS local_start, COUNT(*) AS analyses,
              AVG(sentiment_score) AS average_sentiment, COUNT(compliance_passed) AS compliance_checked,
              COUNT(*) FILTER (WHERE compliance_passed) AS compliance_passed
            FROM cqa_results WHERE created_at >= (SELECT at FROM since) GROUP BY 1
          )
          SELECT to_char((s.local_start AT TIME ZONE ${tz}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS start,
            COALESCE(p.total, 0) AS calls_total, COALESCE(p.answered, 0) AS calls_answered,
            COALESCE(n.total, 0) AS nerve_total, COALESCE(n.answered, 0) AS nerve_answered,
            COALESCE(n.vendor_calls, 0) AS vendor_calls, COALESCE(n.vendor_accepted, 0) AS vendor_accepted,
            COALESCE(n.vendor_rejected, 0) AS vendor_rejected, COALESCE(n.vendor_no_answer, 0) AS vendor_no_answer,
            COALESCE(q.analyses, 0) AS analyses, q.average_sentiment,
            COALESCE(q.compliance_checked, 0) AS compliance_checked,
            COALESCE(q.compliance_passed, 0) AS compliance_passed
          FROM series s
            LEFT JOIN placed p USING (local_start)
            LEFT JOIN nerve n USING (local_start)
            LEFT JOIN quality q USING (local_start)
          ORDER BY s.local_start`.pipe(
          Effect.flatMap(Schema.decodeUnknown(Schema.Array(BucketRow))),
          Effect.orDie,
          Effect.withSpan("StatsSeriesRepo.series"),
        )
      },
    }),
  ),
)
