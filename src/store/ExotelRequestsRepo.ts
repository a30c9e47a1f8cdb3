// The Exotel requests the gateway recorded making since an instant, read back from what each one leaves behind:
// a campaign's dial is a campaign_attempts row ('dialled', or 'redialled' when a dead placer's attempt is placed
// again), and every other call the gateway places is a calls row. The budget's bucket cannot say this: it keeps
// tokens, not who spent them. SMS, WhatsApp and look-ups draw from the budget too and are not counted here.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Schema } from "effect"

export interface RecentExotelRequests {
  readonly byCampaign: ReadonlyArray<{ readonly campaignId: string; readonly requests: number }>
  /** Calls rows of any kind but campaign (click-to-call, verified, scheduled, voice AI). */
  readonly otherCalls: number
}

export interface ExotelRequestsRepoShape {
  readonly since: (since: Date) => Effect.Effect<RecentExotelRequests>
}

export class ExotelRequestsRepo extends Context.Tag("ExotelRequestsRepo")<
  ExotelRequestsRepo,
  ExotelRequestsRepoShape
>() {}

const Count = Schema.Union(Schema.Number, Schema.NumberFromString)
const decodeByCampaign = Schema.decodeUnknown(
  Schema.Array(Schema.Struct({ campaignId: Schema.String, requests: Count })),
)
const decodeOther = Schema.decodeUnknown(Schema.Array(Schema.Struct({ n: Count })))

export const ExotelRequestsRepoLive = Layer.effect(
  ExotelRequestsRepo,
  Effect.map(SqlClient.SqlClient, (sql) =>
    ExotelRequestsRepo.of({
      since: (since) =>
        Effect.all({
          byCampaign: sql`
            SELECT campaign_id, COUNT(*) AS requests FROM campaign_attempts
            WHERE decision IN ('dialled', 'redialled') AND at >= ${since}
            GROUP BY campaign_id ORDER BY campaign_id`.pipe(Effect.flatMap(decodeByCampaign)),
          otherCalls:
            sql`SELECT COUNT(*) AS n FROM calls WHERE kind <> 'campaign' AND created_at >= ${since}`.pipe(
              Effect.flatMap(decodeOther),
              Effect.map((rows) => rows[0]?.n ?? 0),
            ),
        }).pipe(Effect.orDie),
    }),
  ),
)
