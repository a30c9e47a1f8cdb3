// The campaign runner's SQL: the figures its pacing policy reads, the claim of contacts to dial, the calls
// still open, and the record of how each attempt ended. Every decision is a row in campaign_attempts.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option, Schema } from "effect"
import type { ContactOutcome } from "../domain/Campaign.js"
import type { NewCall } from "./CallsRepo.js"

const Count = Schema.NumberFromString

export const DialerFigures = Schema.Struct({
  freeAgents: Count,
  busyAgents: Count,
  callsInFlight: Count,
  acceptedPreviews: Count,
  pendingContacts: Count,
  resolved: Count,
  answered: Count,
  abandoned: Count,
  averageHandleSeconds: Schema.NullOr(Schema.NumberFromString),
  open: Count,
  dialling: Count,
  nextDueAt: Schema.NullOr(Schema.DateFromSelf),
})
export type DialerFigures = typeof DialerFigures.Type

export interface ClaimedContact {
  readonly contactId: string
  readonly phone: string
  readonly attempt: number
  readonly callId: string
  readonly callbackToken: string
}

export const OpenAttempt = Schema.Struct({
  contactId: Schema.String,
  phone: Schema.String,
  attempts: Schema.Number,
  callId: Schema.String,
  callbackToken: Schema.String,
  /** When the call was claimed: Exotel's record of it, if any, is no older. */
  callCreatedAt: Schema.DateFromSelf,
  agentId: Schema.NullOr(Schema.String),
  answered: Schema.Boolean,
  contactUpdatedAt: Schema.DateFromSelf,
  callSid: Schema.NullOr(Schema.String),
  callStatus: Schema.String,
  callError: Schema.NullOr(Schema.String),
})
export type OpenAttempt = typeof OpenAttempt.Type

export interface AttemptResolution {
  readonly contactId: string
  readonly callId: string
  readonly attempt: number
  readonly outcome: ContactOutcome
  /** Null: the contact is done. */
  readonly retryAt: Date | null
  readonly detail: string
  readonly now: Date
  /** An agentless call answered and ended before any sweep saw it answered: record the answer too. */
  readonly answered?: "connected_now" | undefined
}

export const PreviewContact = Schema.Struct({
  id: Schema.String,
  phone: Schema.String,
  name: Schema.NullOr(Schema.String),
  message: Schema.NullOr(Schema.String),
  metadata: Schema.Unknown,
  attempts: Schema.Number,
})
export type PreviewContact = typeof PreviewContact.Type

export interface DialerStoreShape {
  readonly figures: (campaignId: string, now: Date, windowFrom: Date) => Effect.Effect<DialerFigures>
  /**
   * Claims up to `limit` due contacts in `state` and, in the same transaction, writes each one's calls row
   * (status initiated, no sid yet) and its "dialled" attempt: once this commits the attempt exists whatever
   * happens to the process, and no other claim can take the contact.
   */
  readonly claim: (
    campaignId: string,
    state: "pending" | "accepted",
    limit: number,
    now: Date,
    callFor: (contact: { readonly phone: string; readonly attempt: number }) => NewCall,
  ) => Effect.Effect<ReadonlyArray<ClaimedContact>>
  /** The campaign's contacts being dialled, with their call's recorded status. */
  readonly openAttempts: (campaignId: string) => Effect.Effect<ReadonlyArray<OpenAttempt>>
  /**
   * Takes over an attempt whose call has no sid and whose contact has not changed since `staleBefore`: its
   * placing process is presumed dead. The contact's clock restarts, so only one taker wins and another waits
   * again. False: someone else took it, or it moved on.
   */
  readonly takeOver: (open: OpenAttempt, staleBefore: Date, now: Date) => Effect.Effect<boolean>
  /**
   * Records how a taken-over attempt was recovered: the call Exotel already had, adopted (its sid written to
   * the calls row), or none there and the call placed again for the same attempt.
   */
  readonly recovered: (
    campaignId: string,
    open: OpenAttempt,
    recovery: { readonly _tag: "Adopted"; readonly callSid: string } | { readonly _tag: "Redialled" },
    now: Date,
  ) => Effect.Effect<void>
  /** An answered call takes the contact's previewing agent, else a free agent; none free: abandoned. */
  readonly answer: (
    campaignId: string,
    open: OpenAttempt,
    agentless: boolean,
    now: Date,
  ) => Effect.Effect<"connected" | "abandoned" | "gone">
  /**
   * Ends attempts once: a second resolution of the same call changes nothing. Frees their agents. Returns
   * how many were settled by this call.
   */
  readonly resolve: (
    campaignId: string,
    resolutions: ReadonlyArray<AttemptResolution>,
  ) => Effect.Effect<number>
  readonly errorCounts: (
    campaignId: string,
    since: Date,
  ) => Effect.Effect<{ readonly resolved: number; readonly errors: number }>
  readonly nextPreview: (campaignId: string, now: Date) => Effect.Effect<Option.Option<PreviewContact>>
  /** An agent accepts (the contact waits to be dialled for them) or skips (the contact is done) a contact. */
  readonly decidePreview: (
    campaignId: string,
    contactId: string,
    agentId: string,
    accept: boolean,
    now: Date,
  ) => Effect.Effect<boolean>
}

export class DialerStore extends Context.Tag("DialerStore")<DialerStore, DialerStoreShape>() {}

const ClaimRow = Schema.Struct({ id: Schema.String, phone: Schema.String, attempts: Schema.Number })
const decodeFigures = Schema.decodeUnknown(DialerFigures)
const decodeOpen = Schema.decodeUnknown(Schema.Array(OpenAttempt))
const decodePreview = Schema.decodeUnknown(Schema.Array(PreviewContact))

export const DialerStoreLive = Layer.effect(
  DialerStore,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const attemptRow = (row: {
      campaignId: string
      contactId: string
      attempt: number
      callId: string | null
      decision: string
      outcome: string | null
      agentId: string | null
      nextAttemptAt: Date | null
      detail: string | null
      at: Date
    }) => sql`INSERT INTO campaign_attempts ${sql.insert(row)}`

    return DialerStore.of({
      figures: (campaignId, now, windowFrom) =>
        sql`
          SELECT
            (SELECT COUNT(*) FROM agents WHERE campaign_id = ${campaignId} AND status = 'free')::text AS free_agents,
            (SELECT COUNT(*) FROM agents WHERE campaign_id = ${campaignId} AND status = 'busy')::text AS busy_agents,
            c.in_flight::text AS calls_in_flight, c.accepted::text AS accepted_previews,
            c.due::text AS pending_contacts, c.open::text AS open, c.dialling::text AS dialling, c.next_due AS next_due_at,
            a.resolved::text AS resolved, a.answered::text AS answered, a.abandoned::text AS abandoned,
            a.handle::text AS average_handle_seconds
          FROM (
            SELECT
              COUNT(*) FILTER (WHERE state = 'dialling' AND NOT answered) AS in_flight,
              COUNT(*) FILTER (WHERE state = 'accepted') AS accepted,
              COUNT(*) FILTER (WHERE state = 'pending' AND next_attempt_at <= ${now}) AS due,
              COUNT(*) FILTER (WHERE state <> 'done') AS open,
              COUNT(*) FILTER (WHERE state = 'dialling') AS dialling,
              MIN(next_attempt_at) FILTER (WHERE state IN ('pending', 'accepted')) AS next_due
            FROM campaign_contacts WHERE campaign_id = ${campaignId}
          ) c, (
            SELECT
              COUNT(*) FILTER (WHERE decision IN ('retry', 'done') AND outcome <> 'skipped') AS resolved,
              COUNT(*) FILTER (WHERE decision IN ('connected', 'abandoned')) AS answered,
              COUNT(*) FILTER (WHERE decision = 'abandoned') AS abandoned,
              AVG(calls.duration_seconds) FILTER (WHERE decision = 'done' AND outcome = 'completed') AS handle
            FROM campaign_attempts LEFT JOIN calls ON calls.id = campaign_attempts.call_id
            WHERE campaign_id = ${campaignId} AND at >= ${windowFrom}
          ) a`.pipe(
          Effect.flatMap((rows) => decodeFigures(rows[0])),
          Effect.orDie,
        ),

      claim: (campaignId, state, limit, now, callFor) =>
        Effect.gen(function* () {
          if (limit <= 0) return []
          const picked = yield* sql`
            SELECT id::text AS id, phone, attempts FROM campaign_contacts
            WHERE campaign_id = ${campaignId} AND state = ${state} AND next_attempt_at <= ${now}
            ORDER BY next_attempt_at, id
            LIMIT ${limit}
            FOR UPDATE SKIP LOCKED`.pipe(Effect.flatMap(Schema.decodeUnknown(Schema.Array(ClaimRow))))
          if (picked.length === 0) return []
          const claimed = picked.map((row) => {
            const call = callFor({ phone: row.phone, attempt: row.attempts + 1 })
            return { row, call }
          })
          yield* sql`INSERT INTO calls ${sql.insert(
            claimed.map(({ call }) => ({
              id: call.id,
              kind: call.kind,
              status: call.status,
              fromNumber: call.fromNumber,
              toNumber: call.toNumber,
              callerId: call.callerId,
              purpose: call.purpose,
              reason: call.reason,
              orderId: call.orderId,
              customField: call.customField,
              record: call.record,
              timeLimit: call.timeLimit,
              clientCallback: call.clientCallback,
              callbackToken: call.callbackToken,
            })),
          )}`
          const values = claimed.map(({ row, call }) => sql`(${row.id}::bigint, ${call.id})`)
          yield* sql`
            UPDATE campaign_contacts cc SET state = 'dialling', attempts = cc.attempts + 1, answered = FALSE,
              current_call_id = v.call_id, updated_at = ${now}
            FROM (VALUES ${sql.csv(values)}) AS v (contact_id, call_id)
            WHERE cc.id = v.contact_id`
          yield* sql`INSERT INTO campaign_attempts ${sql.insert(
            claimed.map(({ row, call }) => ({
              campaignId,
              contactId: row.id,
              attempt: row.attempts + 1,
              callId: call.id,
              decision: "dialled",
              outcome: null,
              agentId: null,
              nextAttemptAt: null,
              detail: null,
              at: now,
            })),
          )}`
          return claimed.map(
            ({ row, call }): ClaimedContact => ({
              contactId: row.id,
              phone: row.phone,
              attempt: row.attempts + 1,
              callId: call.id,
              callbackToken: call.callbackToken,
            }),
          )
        }).pipe(sql.withTransaction, Effect.orDie, Effect.withSpan("DialerStore.claim")),

      openAttempts: (campaignId) =>
        sql`
          SELECT cc.id::text AS contact_id, cc.phone, cc.attempts, cc.current_call_id AS call_id,
            c.callback_token, c.created_at AS call_created_at, cc.agent_id, cc.answered,
            cc.updated_at AS contact_updated_at, c.call_sid, c.status AS call_status, c.error AS call_error
          FROM campaign_contacts cc JOIN calls c ON c.id = cc.current_call_id
          WHERE cc.campaign_id = ${campaignId} AND cc.state = 'dialling'`.pipe(
          Effect.flatMap(decodeOpen),
          Effect.orDie,
        ),

      takeOver: (open, staleBefore, now) =>
        sql`
          UPDATE campaign_contacts SET updated_at = ${now}
          WHERE id = ${open.contactId}::bigint AND state = 'dialling' AND current_call_id = ${open.callId}
            AND updated_at <= ${staleBefore}
          RETURNING id`.pipe(
          Effect.map((rows) => rows.length > 0),
          Effect.orDie,
        ),

      recovered: (campaignId, open, recovery, now) =>
        Effect.gen(function* () {
          if (recovery._tag === "Adopted") {
            yield* sql`UPDATE calls SET call_sid = ${recovery.callSid}, updated_at = ${now}
              WHERE id = ${open.callId} AND call_sid IS NULL`
          }
          yield* attemptRow({
            campaignId,
            contactId: open.contactId,
            attempt: open.attempts,
            callId: open.callId,
            decision: recovery._tag === "Adopted" ? "adopted" : "redialled",
            outcome: null,
            agentId: null,
            nextAttemptAt: null,
            detail:
              recovery._tag === "Adopted"
                ? `CallSid ${recovery.callSid}, found at Exotel after the placing process stopped`
                : "not at Exotel after the placing process stopped: placed again for the same attempt",
            at: now,
          })
        }).pipe(sql.withTransaction, Effect.orDie),

      answer: (campaignId, open, agentless, now) =>
        Effect.gen(function* () {
          let agentId = open.agentId
          if (!agentless && agentId === null) {
            const taken = yield* sql<{ id: string }>`
              UPDATE agents SET status = 'busy', current_call_id = ${open.callId}, updated_at = ${now}
              WHERE id = (
                SELECT id FROM agents WHERE campaign_id = ${campaignId} AND status = 'free'
                ORDER BY updated_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
              ) RETURNING id`
            agentId = taken[0]?.id ?? null
          }
          const abandoned = !agentless && agentId === null
          const marked = yield* sql`
            UPDATE campaign_contacts SET answered = TRUE, agent_id = ${agentId}, updated_at = ${now}
            WHERE id = ${open.contactId}::bigint AND state = 'dialling' AND current_call_id = ${open.callId}
              AND NOT answered
            RETURNING id`
          if (marked.length === 0) return "gone" as const
          yield* attemptRow({
            campaignId,
            contactId: open.contactId,
            attempt: open.attempts,
            callId: open.callId,
            decision: abandoned ? "abandoned" : "connected",
            outcome: null,
            agentId,
            nextAttemptAt: null,
            detail: abandoned ? "answered with no agent free" : null,
            at: now,
          })
          return abandoned ? ("abandoned" as const) : ("connected" as const)
        }).pipe(sql.withTransaction, Effect.orDie),

      resolve: (campaignId, resolutions) =>
        Effect.gen(function* () {
          if (resolutions.length === 0) return 0
          const contactIds = resolutions.map((r) => r.contactId)
          const callIds = resolutions.map((r) => r.callId)
          // Agents go free first, found through the contacts' agents before those are cleared.
          yield* sql`
            UPDATE agents SET status = 'free', current_call_id = NULL, updated_at = ${resolutions[0]?.now ?? null}
            WHERE status = 'busy' AND (current_call_id IN ${sql.in(callIds)} OR id IN (
              SELECT agent_id FROM campaign_contacts
              WHERE id IN ${sql.in(contactIds)} AND current_call_id IN ${sql.in(callIds)}))`
          const values = resolutions.map(
            (r) =>
              sql`(${r.contactId}::bigint, ${r.callId}, ${r.retryAt === null ? "done" : "pending"}, ${r.outcome},
                ${r.retryAt ?? r.now}::timestamptz, ${r.now}::timestamptz)`,
          )
          const changed = yield* sql<{ id: string; agentId: string | null }>`
            UPDATE campaign_contacts cc SET state = v.state, last_outcome = v.outcome, next_attempt_at = v.next_at,
              current_call_id = NULL, answered = FALSE, agent_id = NULL, updated_at = v.now
            FROM (VALUES ${sql.csv(values)}) AS v (contact_id, call_id, state, outcome, next_at, now)
            WHERE cc.id = v.contact_id AND cc.state = 'dialling' AND cc.current_call_id = v.call_id
            RETURNING cc.id::text AS id`
          const settled = new Set(changed.map((row) => row.id))
          const rows = resolutions
            .filter((r) => settled.has(r.contactId))
            .flatMap((r) => [
              ...(r.answered === "connected_now"
                ? [
                    {
                      campaignId,
                      contactId: r.contactId,
                      attempt: r.attempt,
                      callId: r.callId,
                      decision: "connected",
                      outcome: null,
                      agentId: null,
                      nextAttemptAt: null,
                      detail: null,
                      at: r.now,
                    },
                  ]
                : []),
              {
                campaignId,
                contactId: r.contactId,
                attempt: r.attempt,
                callId: r.callId,
                decision: r.retryAt === null ? "done" : "retry",
                outcome: r.outcome,
                agentId: null,
                nextAttemptAt: r.retryAt,
                detail: r.detail,
                at: r.now,
              },
            ])
          if (rows.length > 0) yield* sql`INSERT INTO campaign_attempts ${sql.insert(rows)}`
          return settled.size
        }).pipe(sql.withTransaction, Effect.orDie, Effect.withSpan("DialerStore.resolve")),

      errorCounts: (campaignId, since) =>
        sql<{ resolved: string; errors: string }>`
          SELECT COUNT(*)::text AS resolved,
            COUNT(*) FILTER (WHERE outcome IN ('network_error', 'failed'))::text AS errors
          FROM campaign_attempts
          WHERE campaign_id = ${campaignId} AND decision IN ('retry', 'done') AND outcome <> 'skipped'
            AND at >= ${since}`.pipe(
          Effect.map((rows) => ({
            resolved: Number(rows[0]?.resolved ?? 0),
            errors: Number(rows[0]?.errors ?? 0),
          })),
          Effect.orDie,
        ),

      nextPreview: (campaignId, now) =>
        sql`
          SELECT id::text AS id, phone, name, message, metadata, attempts FROM campaign_contacts
          WHERE campaign_id = ${campaignId} AND state = 'pending' AND next_attempt_at <= ${now}
          ORDER BY next_attempt_at, id LIMIT 1`.pipe(
          Effect.flatMap(decodePreview),
          Effect.map((rows) => Option.fromNullable(rows[0])),
          Effect.orDie,
        ),

      decidePreview: (campaignId, contactId, agentId, accept, now) =>
        Effect.gen(function* () {
          const changed = yield* sql<{ attempts: number }>`
            UPDATE campaign_contacts SET state = ${accept ? "accepted" : "done"},
              last_outcome = ${accept ? null : "skipped"}, agent_id = ${accept ? agentId : null}, updated_at = ${now}
            WHERE id = ${contactId}::bigint AND campaign_id = ${campaignId} AND state = 'pending'
            RETURNING attempts`
          const row = changed[0]
          if (row === undefined) return false
          // The agent holds the contact from acceptance to the end of its call.
          if (accept) {
            yield* sql`UPDATE agents SET status = 'busy', updated_at = ${now} WHERE id = ${agentId}`
          }
          yield* attemptRow({
            campaignId,
            contactId,
            attempt: row.attempts,
            callId: null,
            decision: accept ? "accepted" : "done",
            outcome: accept ? null : "skipped",
            agentId,
            nextAttemptAt: null,
            detail: accept ? "accepted in preview" : "skipped in preview",
            at: now,
          })
          return true
        }).pipe(sql.withTransaction, Effect.orDie),
    })
  }),
)
