// The seed's monitoring figures for calls and SMS over a period (success, answer and delivery rates, average
// duration): one aggregate pass over each table's period, one row per status, summed here.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Schema } from "effect"

// COUNT is a bigint and SUM of integers a bigint too: both arrive as text.
const Count = Schema.Union(Schema.Number, Schema.NumberFromString)

const CallStatusRow = Schema.Struct({
  status: Schema.String,
  n: Count,
  durationSum: Schema.NullOr(Count),
  durationN: Count,
})

const SmsStatusRow = Schema.Struct({
  status: Schema.String,
  n: Count,
  sent: Count,
  segments: Schema.NullOr(Count),
})

export interface TrafficStats {
  readonly calls: {
    readonly total: number
    readonly byStatus: Record<string, number>
    readonly completed: number
    readonly answered: number
    readonly failed: number
    readonly averageDuration: number | null
  }
  readonly sms: {
    readonly total: number
    readonly byStatus: Record<string, number>
    readonly sent: number
    readonly delivered: number
    readonly failed: number
    readonly segments: number
  }
}

export class TrafficStatsRepo extends Context.Tag("TrafficStatsRepo")<
  TrafficStatsRepo,
  { readonly stats: (sinceHours: number) => Effect.Effect<TrafficStats> }
>() {}

// Exotel says "completed" only for a call that connected; "in-progress" is one answered and still on.
const answeredCall = new Set(["completed", "in-progress"])
const failedCall = new Set(["failed", "busy", "no-answer", "canceled"])
// Delivered: Exotel's "sent" (DELIVERED_TO_HANDSET).
const failedSms = new Set(["failed", "failed_dnd"])

const sumOf = <R>(rows: ReadonlyArray<R>, f: (r: R) => number) => rows.reduce((total, r) => total + f(r), 0)

export const TrafficStatsRepoLive = Layer.effect(
  TrafficStatsRepo,
  Effect.map(SqlClient.SqlClient, (sql) =>
    TrafficStatsRepo.of({
      stats: (sinceHours) =>
        Effect.gen(function* () {
          const since = sql`created_at >= NOW() - make_interval(hours => ${sinceHours})`
          const calls = yield* sql`
            SELECT status, COUNT(*) AS n, SUM(duration_seconds) AS duration_sum, COUNT(duration_seconds) AS duration_n
            FROM calls WHERE ${since} GROUP BY status`.pipe(
            Effect.flatMap(Schema.decodeUnknown(Schema.Array(CallStatusRow))),
          )
          // Sent: Exotel took the message (it has a sid).
          const sms = yield* sql`
            SELECT status, COUNT(*) AS n, COUNT(sms_sid) AS sent, SUM(segments) AS segments
            FROM sms_messages WHERE ${since} GROUP BY status`.pipe(
            Effect.flatMap(Schema.decodeUnknown(Schema.Array(SmsStatusRow))),
          )
          const completed = calls.filter((r) => r.status === "completed")
          const durationN = sumOf(completed, (r) => r.durationN)
          return {
            calls: {
              total: sumOf(calls, (r) => r.n),
              byStatus: Object.fromEntries(calls.map((r) => [r.status, r.n])),
              completed: sumOf(completed, (r) => r.n),
              answered: sumOf(calls, (r) => (answeredCall.has(r.status) ? r.n : 0)),
              failed: sumOf(calls, (r) => (failedCall.has(r.status) ? r.n : 0)),
              averageDuration:
                durationN === 0 ? null : sumOf(completed, (r) => r.durationSum ?? 0) / durationN,
            },
            sms: {
              total: sumOf(sms, (r) => r.n),
              byStatus: Object.fromEntries(sms.map((r) => [r.status, r.n])),
              sent: sumOf(sms, (r) => r.sent),
              delivered: sumOf(sms, (r) => (r.status === "sent" ? r.n : 0)),
              failed: sumOf(sms, (r) => (failedSms.has(r.status) ? r.n : 0)),
              segments: sumOf(sms, (r) => r.segments ?? 0),
            },
          }
        }).pipe(Effect.orDie, Effect.withSpan("TrafficStatsRepo.stats")),
    }),
  ),
)
