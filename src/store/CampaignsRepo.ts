// The campaigns table and its contacts as the API sees them: create (contacts in batches), read, list, change
// status, and the statistics, counted in SQL.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option, Schema } from "effect"
import { CallPurpose } from "../domain/CallPurpose.js"
import { CampaignDialer, type CampaignStatus, campaignStatuses } from "../domain/Campaign.js"
import { RetryConfig } from "../domain/Retry.js"
import { Language } from "../domain/VoiceCall.js"
import type { PacingConfig } from "../policy/pacing/figures.js"

export const StoredPacing = Schema.Struct({
  abandonCap: Schema.Number,
  ringSeconds: Schema.Number,
  maxDialRatio: Schema.Number,
  pace: Schema.Number,
  concurrencyCap: Schema.Number,
})

export const CampaignRecord = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  type: Schema.String,
  template: Schema.NullOr(Schema.String),
  purpose: CallPurpose,
  language: Language,
  dialerType: CampaignDialer,
  scheduleAt: Schema.DateFromSelf,
  retryConfig: RetryConfig,
  pacingConfig: StoredPacing,
  errorRateBound: Schema.Number,
  callerId: Schema.String,
  agentLine: Schema.NullOr(Schema.String),
  priority: Schema.Number,
  tags: Schema.Array(Schema.String),
  status: Schema.Literal(...campaignStatuses),
  statusReason: Schema.NullOr(Schema.String),
  errorsSince: Schema.DateFromSelf,
  totalContacts: Schema.Number,
  createdAt: Schema.DateFromSelf,
  updatedAt: Schema.DateFromSelf,
})
export type CampaignRecord = typeof CampaignRecord.Type

export interface NewCampaign {
  readonly id: string
  readonly name: string
  readonly template: string | null
  readonly purpose: CallPurpose
  readonly language: Language
  readonly dialerType: CampaignDialer
  readonly scheduleAt: Date
  readonly retryConfig: RetryConfig
  readonly pacingConfig: PacingConfig
  readonly errorRateBound: number
  readonly callerId: string
  readonly agentLine: string | null
  readonly priority: number
  readonly tags: ReadonlyArray<string>
  readonly now: Date
  readonly contacts: ReadonlyArray<{
    readonly phone: string
    readonly name: string | null
    readonly metadata: Readonly<Record<string, unknown>>
    readonly message: string | null
  }>
}

const CountText = Schema.NumberFromString
export const CampaignStats = Schema.Struct({
  total: CountText,
  dialled: CountText,
  answered: CountText,
  abandoned: CountText,
  resolved: CountText,
  uncertain: CountText,
  adopted: CountText,
  redialled: CountText,
  completed: CountText,
  failed: CountText,
  skipped: CountText,
  pending: CountText,
  done: CountText,
})
export type CampaignStats = typeof CampaignStats.Type

export interface CampaignsRepoShape {
  readonly create: (campaign: NewCampaign) => Effect.Effect<CampaignRecord>
  readonly find: (id: string) => Effect.Effect<Option.Option<CampaignRecord>>
  readonly list: Effect.Effect<ReadonlyArray<CampaignRecord>>
  readonly active: Effect.Effect<ReadonlyArray<string>>
  /** Moves the campaign from `from` to `to`; none when it was no longer in `from` (someone else moved it). */
  readonly setStatus: (
    id: string,
    from: CampaignStatus,
    to: CampaignStatus,
    reason: string | null,
    now: Date,
  ) => Effect.Effect<Option.Option<CampaignRecord>>
  readonly stats: (id: string) => Effect.Effect<CampaignStats>
}

export class CampaignsRepo extends Context.Tag("CampaignsRepo")<CampaignsRepo, CampaignsRepoShape>() {}

const decodeAll = Schema.decodeUnknown(Schema.Array(CampaignRecord))
const decodeFirst = (rows: ReadonlyArray<unknown>) =>
  Effect.map(decodeAll(rows), (r) => Option.fromNullable(r[0]))

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters at 5 a row, and ~100k rows/s (STACK.md). */
const contactBatch = 2_000

export const CampaignsRepoLive = Layer.effect(
  CampaignsRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const find = (id: string) =>
      sql`SELECT * FROM campaigns WHERE id = ${id}`.pipe(Effect.flatMap(decodeFirst), Effect.orDie)

    return CampaignsRepo.of({
      create: (c) =>
        Effect.gen(function* () {
          yield* sql`INSERT INTO campaigns ${sql.insert({
            id: c.id,
            name: c.name,
            template: c.template,
            purpose: c.purpose,
            language: c.language,
            dialerType: c.dialerType,
            scheduleAt: c.scheduleAt,
            retryConfig: JSON.stringify(c.retryConfig),
            pacingConfig: JSON.stringify(c.pacingConfig),
            errorRateBound: c.errorRateBound,
            callerId: c.callerId,
            agentLine: c.agentLine,
            priority: c.priority,
            tags: JSON.stringify(c.tags),
            status: "active",
            errorsSince: c.now,
            totalContacts: c.contacts.length,
            createdAt: c.now,
            updatedAt: c.now,
          })}`
          for (let i = 0; i < c.contacts.length; i += contactBatch) {
            const rows = c.contacts.slice(i, i + contactBatch).map((contact) => ({
              campaignId: c.id,
              phone: contact.phone,
              name: contact.name,
              metadata: JSON.stringify(contact.metadata),
              message: contact.message,
              state: "pending",
              nextAttemptAt: c.scheduleAt,
              updatedAt: c.now,
            }))
            yield* sql`INSERT INTO campaign_contacts ${sql.insert(rows)}`
          }
          const stored = yield* find(c.id)
          return yield* Option.match(stored, {
            onNone: () => Effect.dieMessage(`campaign ${c.id} vanished after its insert`),
            onSome: Effect.succeed,
          })
        }).pipe(sql.withTransaction, Effect.orDie, Effect.withSpan("CampaignsRepo.create")),
      find,
      list: sql`SELECT * FROM campaigns ORDER BY created_at DESC, id DESC LIMIT 500`.pipe(
        Effect.flatMap(decodeAll),
        Effect.orDie,
      ),
      active: sql<{ id: string }>`SELECT id FROM campaigns WHERE status = 'active'`.pipe(
        Effect.map((rows) => rows.map((r) => r.id)),
        Effect.orDie,
      ),
      setStatus: (id, from, to, reason, now) =>
        sql`UPDATE campaigns SET status = ${to}, status_reason = ${reason}, updated_at = ${now},
              errors_since = CASE WHEN ${to} = 'active' THEN ${now} ELSE errors_since END
            WHERE id = ${id} AND status = ${from} RETURNING *`.pipe(
          Effect.flatMap(decodeFirst),
          Effect.orDie,
        ),
      // Counts only: the contacts and attempts are never loaded.
      stats: (id) =>
        sql`
          SELECT
            (SELECT COUNT(*) FROM campaign_contacts WHERE campaign_id = ${id})::text AS total,
            (SELECT COUNT(*) FROM campaign_attempts a JOIN calls c ON c.id = a.call_id
              WHERE a.campaign_id = ${id} AND a.decision = 'dialled' AND c.call_sid IS NOT NULL)::text AS dialled,
            (SELECT COUNT(*) FROM campaign_attempts
              WHERE campaign_id = ${id} AND decision IN ('connected', 'abandoned'))::text AS answered,
            (SELECT COUNT(*) FROM campaign_attempts
              WHERE campaign_id = ${id} AND decision = 'abandoned')::text AS abandoned,
            (SELECT COUNT(*) FROM campaign_attempts
              WHERE campaign_id = ${id} AND decision IN ('retry', 'done'))::text AS resolved,
            (SELECT COUNT(*) FROM campaign_attempts WHERE campaign_id = ${id} AND decision IN ('retry', 'done')
              AND detail LIKE 'orphaned call%')::text AS uncertain,
            (SELECT COUNT(*) FROM campaign_attempts
              WHERE campaign_id = ${id} AND decision = 'adopted')::text AS adopted,
            (SELECT COUNT(*) FROM campaign_attempts
              WHERE campaign_id = ${id} AND decision = 'redialled')::text AS redialled,
            s.completed::text AS completed, s.failed::text AS failed, s.skipped::text AS skipped,
            s.pending::text AS pending, s.done::text AS done
          FROM (
            SELECT
              COUNT(*) FILTER (WHERE state = 'done' AND last_outcome = 'completed') AS completed,
              COUNT(*) FILTER (WHERE state = 'done'
                AND last_outcome NOT IN ('completed', 'abandoned', 'skipped')) AS failed,
              COUNT(*) FILTER (WHERE state = 'done' AND last_outcome = 'skipped') AS skipped,
              COUNT(*) FILTER (WHERE state <> 'done') AS pending,
              COUNT(*) FILTER (WHERE state = 'done') AS done
            FROM campaign_contacts WHERE campaign_id = ${id}
          ) s`.pipe(
          Effect.flatMap((rows) => Schema.decodeUnknown(CampaignStats)(rows[0])),
          Effect.orDie,
        ),
    })
  }),
)
