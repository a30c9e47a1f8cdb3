// The seed's monitoring figures for calls and SMS over a period (success, answer and delivery rates, average
// duration), each one aggregate query over an index range of created_at.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Schema } from "effect"

// COUNT is a bigint and AVG a numeric: both arrive as text.
const Count = Schema.Union(Schema.Number, Schema.NumberFromString)

const CallTotals = Schema.Struct({
  total: Count,
  completed: Count,
  answered: Count,
  failed: Count,
  averageDuration: Schema.NullOr(Count),
})

const SmsTotals = Schema.Struct({
  total: Count,
  sent: Count,
  delivered: Count,
  failed: Count,
  segments: Schema.NullOr(Count),
})

const ByStatus = Schema.Array(Schema.Struct({ status: Schema.String, n: Count }))

export interface TrafficStats {
  readonly calls: typeof CallTotals.Type & { readonly byStatus: Record<string, number> }
  readonly sms: typeof SmsTotals.Type & { readonly byStatus: Record<string, number> }
}

export class TrafficStatsRepo extends Context.Tag("TrafficStatsRepo")<
  TrafficStatsRepo,
  { readonly stats: (sinceHours: number) => Effect.Effect<TrafficStats> }
>() {}

const tally = (rows: typeof ByStatus.Type) => Object.fromEntries(rows.map((r) => [r.status, r.n]))

const first = <A>(rows: ReadonlyArray<A>) =>
  rows[0] === undefined ? Effect.dieMessage("an aggregate answered no row") : Effect.succeed(rows[0])

export const TrafficStatsRepoLive = Layer.effect(
  TrafficStatsRepo,
  Effect.map(SqlClient.SqlClient, (sql) =>
    TrafficStatsRepo.of({
      stats: (sinceHours) =>
        Effect.gen(function* () {
          const since = sql`created_at >= NOW() - make_interval(hours => ${sinceHours})`
          // Exotel says "completed" only for a call that connected; "in-progress" is one answered and still on.
          const calls = yield* sql`
            SELECT COUNT(*) AS total,
              COUNT(*) FILTER (WHERE status = 'completed') AS completed,
              COUNT(*) FILTER (WHERE status IN ('completed', 'in-progress')) AS answered,
              COUNT(*) FILTER (WHERE status IN ('failed', 'busy', 'no-answer', 'canceled')) AS failed,
              AVG(duration_seconds) FILTER (WHERE status = 'completed') AS average_duration
            FROM calls WHERE ${since}`.pipe(
            Effect.flatMap(Schema.decodeUnknown(Schema.Array(CallTotals))),
            Effect.flatMap(first),
          )
          const callStatuses =
            yield* sql`SELECT status, COUNT(*) AS n FROM calls WHERE ${since} GROUP BY status`.pipe(
              Effect.flatMap(Schema.decodeUnknown(ByStatus)),
            )
          // Sent: Exotel took the message (it has a sid). Delivered: Exotel's "sent", DELIVERED_TO_HANDSET.
          const sms = yield* sql`
            SELECT COUNT(*) AS total,
              COUNT(sms_sid) AS sent,
              COUNT(*) FILTER (WHERE status = 'sent') AS delivered,
              COUNT(*) FILTER (WHERE status IN ('failed', 'failed_dnd')) AS failed,
              SUM(segments) AS segments
            FROM sms_messages WHERE ${since}`.pipe(
            Effect.flatMap(Schema.decodeUnknown(Schema.Array(SmsTotals))),
            Effect.flatMap(first),
          )
          const smsStatuses = yield* sql`
            SELECT status, COUNT(*) AS n FROM sms_messages WHERE ${since} GROUP BY status`.pipe(
            Effect.flatMap(Schema.decodeUnknown(ByStatus)),
          )
          return {
            calls: { ...calls, byStatus: tally(callStatuses) },
            sms: { ...sms, byStatus: tally(smsStatuses) },
          }
        }).pipe(Effect.orDie, Effect.withSpan("TrafficStatsRepo.stats")),
    }),
  ),
)
