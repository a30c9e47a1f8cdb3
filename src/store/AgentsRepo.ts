// Agents who take a campaign's answered calls, and whether each is free to take one now.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option, Schema } from "effect"

export const agentStatuses = ["free", "busy", "offline"] as const
export type AgentStatus = (typeof agentStatuses)[number]

export const AgentRecord = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  phone: Schema.String,
  status: Schema.Literal(...agentStatuses),
  campaignId: Schema.NullOr(Schema.String),
  currentCallId: Schema.NullOr(Schema.String),
  updatedAt: Schema.DateFromSelf,
})
export type AgentRecord = typeof AgentRecord.Type

export interface AgentsRepoShape {
  readonly create: (agent: {
    readonly id: string
    readonly name: string
    readonly phone: string
    readonly campaignId: string | null
    readonly now: Date
  }) => Effect.Effect<AgentRecord>
  readonly list: (campaignId: string | undefined) => Effect.Effect<ReadonlyArray<AgentRecord>>
  readonly find: (id: string) => Effect.Effect<Option.Option<AgentRecord>>
  /** Sets the status (and, when given, the campaign); a free agent holds no call. */
  readonly update: (
    id: string,
    change: { readonly status: AgentStatus; readonly campaignId?: string | null | undefined },
    now: Date,
  ) => Effect.Effect<Option.Option<AgentRecord>>
}

export class AgentsRepo extends Context.Tag("AgentsRepo")<AgentsRepo, AgentsRepoShape>() {}

const decodeAll = Schema.decodeUnknown(Schema.Array(AgentRecord))
const decodeFirst = (rows: ReadonlyArray<unknown>) =>
  Effect.map(decodeAll(rows), (r) => Option.fromNullable(r[0]))

export const AgentsRepoLive = Layer.effect(
  AgentsRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return AgentsRepo.of({
      create: (a) =>
        sql`INSERT INTO agents ${sql.insert({
          id: a.id,
          name: a.name,
          phone: a.phone,
          status: "free",
          campaignId: a.campaignId,
          updatedAt: a.now,
        })} RETURNING *`.pipe(
          Effect.flatMap(decodeFirst),
          Effect.flatMap(
            Option.match({
              onNone: () => Effect.dieMessage("agent insert returned nothing"),
              onSome: Effect.succeed,
            }),
          ),
          Effect.orDie,
        ),
      list: (campaignId) =>
        (campaignId === undefined
          ? sql`SELECT * FROM agents ORDER BY id`
          : sql`SELECT * FROM agents WHERE campaign_id = ${campaignId} ORDER BY id`
        ).pipe(Effect.flatMap(decodeAll), Effect.orDie),
      find: (id) =>
        sql`SELECT * FROM agents WHERE id = ${id}`.pipe(Effect.flatMap(decodeFirst), Effect.orDie),
      update: (id, change, now) =>
        sql`UPDATE agents SET status = ${change.status},
              campaign_id = ${change.campaignId === undefined ? sql`campaign_id` : change.campaignId},
              current_call_id = CASE WHEN ${change.status} = 'busy' THEN current_call_id ELSE NULL END,
              updated_at = ${now}
            WHERE id = ${id} RETURNING *`.pipe(Effect.flatMap(decodeFirst), Effect.orDie),
    })
  }),
)
