// The scheduled_calls and scheduled_call_attempts tables: what the API writes and reads, and the claims the
// dispatcher takes. Every instant written comes from the caller (the Clock), never from the database's NOW(),
// so the time rules run on a test's clock as they do on the wall clock.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option, Schema } from "effect"
import { CallPurpose } from "../domain/CallPurpose.js"
import { RetryConfig } from "../domain/Retry.js"
import type { AttemptDecision, ScheduledCallStatus } from "../domain/ScheduledCall.js"
import { Language } from "../domain/VoiceCall.js"
import { terminalCallStatuses } from "./CallsRepo.js"

export const ScheduledCallRow = Schema.Struct({
  id: Schema.String,
  phone: Schema.String,
  purpose: CallPurpose,
  priority: Schema.Number,
  context: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  useVerifiedCall: Schema.Boolean,
  language: Language,
  retryConfig: RetryConfig,
  preferredTime: Schema.NullOr(Schema.DateFromSelf),
  scheduledFor: Schema.DateFromSelf,
  movedBecause: Schema.NullOr(Schema.String),
  status: Schema.String,
  attempts: Schema.Number,
  currentCallId: Schema.NullOr(Schema.String),
  claimedBy: Schema.NullOr(Schema.String),
  claimedAt: Schema.NullOr(Schema.DateFromSelf),
  lastOutcome: Schema.NullOr(Schema.String),
  createdAt: Schema.DateFromSelf,
  updatedAt: Schema.DateFromSelf,
  finishedAt: Schema.NullOr(Schema.DateFromSelf),
})
export type ScheduledCallRow = typeof ScheduledCallRow.Type

export const AttemptRow = Schema.Struct({
  attempt: Schema.Number,
  decision: Schema.String,
  callId: Schema.NullOr(Schema.String),
  outcome: Schema.NullOr(Schema.String),
  nextAt: Schema.NullOr(Schema.DateFromSelf),
  detail: Schema.NullOr(Schema.String),
  at: Schema.DateFromSelf,
})
export type AttemptRow = typeof AttemptRow.Type

export interface NewScheduledCall {
  readonly id: string
  readonly phone: string
  readonly purpose: string
  readonly priority: number
  readonly context: Readonly<Record<string, unknown>>
  readonly useVerifiedCall: boolean
  readonly language: Language
  readonly retryConfig: RetryConfig
  readonly preferredTime: Date | null
  readonly scheduledFor: Date
  readonly movedBecause: string | null
}

export interface NewAttempt {
  readonly scheduledCallId: string
  readonly attempt: number
  readonly decision: AttemptDecision
  readonly callId?: string | null
  readonly outcome?: string | null
  readonly nextAt?: Date | null
  readonly detail?: string | null
  readonly at: Date
}

/** A call whose calls row says it ended while its scheduled call still waits for the outcome. */
export interface Unsettled {
  readonly id: string
  readonly callId: string
  readonly callStatus: string
}

/** A call placed (or being placed) whose calls row a recovery looks at. */
export interface PlacedCall {
  readonly row: ScheduledCallRow
  /** When the presumed-dead claimer took it (takeOverExpired), before this process took it over. */
  readonly claimedBefore: Date | null
  readonly callId: string
  readonly callSid: string | null
  readonly callStatus: string
  readonly callbackToken: string
  readonly callerId: string | null
}

export interface ScheduledCallStats {
  readonly total: number
  readonly byStatus: Readonly<Record<ScheduledCallStatus, number>>
  readonly placed: number
  readonly outcomes: Readonly<Record<"completed" | "busy" | "no_answer" | "network_error" | "failed", number>>
  readonly retriesScheduled: number
  readonly movedByTiming: number
  readonly gaveUp: number
}

export type CancelResult = "cancelled" | "not_found" | { readonly conflict: string }

const decodeRows = Schema.decodeUnknown(Schema.Array(ScheduledCallRow))
const decodeAttempts = Schema.decodeUnknown(Schema.Array(AttemptRow))
const NextDue = Schema.Array(Schema.Struct({ due: Schema.NullOr(Schema.DateFromSelf) }))
const StatsRow = Schema.Struct({
  total: Schema.NumberFromString,
  pending: Schema.NumberFromString,
  dispatching: Schema.NumberFromString,
  inProgress: Schema.NumberFromString,
  completed: Schema.NumberFromString,
  failed: Schema.NumberFromString,
  cancelled: Schema.NumberFromString,
  placed: Schema.NumberFromString,
  outcomeCompleted: Schema.NumberFromString,
  outcomeBusy: Schema.NumberFromString,
  outcomeNoAnswer: Schema.NumberFromString,
  outcomeNetworkError: Schema.NumberFromString,
  outcomeFailed: Schema.NumberFromString,
  retriesScheduled: Schema.NumberFromString,
  movedByTiming: Schema.NumberFromString,
  gaveUp: Schema.NumberFromString,
})

const UnsettledRows = Schema.Array(
  Schema.Struct({ id: Schema.String, callId: Schema.String, callStatus: Schema.String }),
)
const PlacedRows = Schema.Array(
  Schema.Struct({
    ...ScheduledCallRow.fields,
    callSid: Schema.NullOr(Schema.String),
    callStatus: Schema.String,
    callbackToken: Schema.String,
    callerId: Schema.NullOr(Schema.String),
    claimedBefore: Schema.optionalWith(Schema.NullOr(Schema.DateFromSelf), { default: () => null }),
  }),
)

export interface ScheduledCallsRepoShape {
  readonly insert: (call: NewScheduledCall, now: Date) => Effect.Effect<void>
  readonly listPending: (limit: number) => Effect.Effect<ReadonlyArray<ScheduledCallRow>>
  readonly find: (id: string) => Effect.Effect<Option.Option<ScheduledCallRow>>
  /**
   * Reads the row locked for the rest of the transaction, waiting for a holder (the short transaction that
   * records a placement): an outcome skipped here would wait for the next maintenance sweep.
   */
  readonly lock: (id: string) => Effect.Effect<Option.Option<ScheduledCallRow>>
  /** The row and its decisions from one snapshot, so the status and the log never disagree. */
  readonly findWithAttempts: (
    id: string,
  ) => Effect.Effect<
    Option.Option<{ readonly row: ScheduledCallRow; readonly attempts: ReadonlyArray<AttemptRow> }>
  >
  readonly cancel: (id: string, now: Date) => Effect.Effect<CancelResult>
  readonly nextDue: Effect.Effect<Option.Option<Date>>
  readonly stats: (since: Date | null) => Effect.Effect<ScheduledCallStats>
  /** Due pending rows, most urgent first, locked for this transaction; rows another claimer holds are skipped. */
  readonly lockDue: (now: Date, limit: number) => Effect.Effect<ReadonlyArray<ScheduledCallRow>>
  readonly recordAttempts: (attempts: ReadonlyArray<NewAttempt>) => Effect.Effect<void>
  /** Marks rows claimed by `owner`: dispatching, one attempt more, the call id of that attempt. */
  readonly markDispatching: (
    claims: ReadonlyArray<{ readonly id: string; readonly callId: string }>,
    owner: string,
    now: Date,
  ) => Effect.Effect<void>
  readonly moveTo: (id: string, dueAt: Date, because: string, now: Date) => Effect.Effect<void>
  /** Exotel accepted the call: dispatching → in_progress, unless its outcome was settled meanwhile. */
  readonly markPlaced: (id: string, callId: string, now: Date) => Effect.Effect<void>
  readonly finish: (
    id: string,
    status: "completed" | "failed",
    outcome: string | null,
    now: Date,
  ) => Effect.Effect<void>
  readonly reschedule: (
    id: string,
    dueAt: Date,
    because: string | null,
    outcome: string,
    now: Date,
  ) => Effect.Effect<void>
  /** Attempts whose calls row is terminal but whose scheduled call has not taken the outcome yet. */
  readonly unsettled: (limit: number) => Effect.Effect<ReadonlyArray<Unsettled>>
  /**
   * Takes over dispatching rows whose claimer is presumed dead — another process whose lease ran out, or
   * (`othersDead`, for an embedded database that only this process opens) any other process — and returns them
   * with their calls row.
   */
  readonly takeOverExpired: (
    now: Date,
    leaseMs: number,
    owner: string,
    othersDead: boolean,
  ) => Effect.Effect<ReadonlyArray<PlacedCall>>
  /**
   * In-progress calls with no terminal status whose callback may have been lost: placed by a process presumed
   * dead, or not heard of for `quietMs`. Each is stamped, so it is asked about once per `quietMs`.
   */
  readonly quietCalls: (
    now: Date,
    quietMs: number,
    owner: string,
    othersDead: boolean,
  ) => Effect.Effect<ReadonlyArray<PlacedCall>>
}

export class ScheduledCallsRepo extends Context.Tag("ScheduledCallsRepo")<
  ScheduledCallsRepo,
  ScheduledCallsRepoShape
>() {}

export const ScheduledCallsRepoLive = Layer.effect(
  ScheduledCallsRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const terminal: ReadonlyArray<string> = terminalCallStatuses
    const columns = sql`id, phone, purpose, priority, context, use_verified_call, language, retry_config, preferred_time,
      scheduled_for, moved_because, status, attempts, current_call_id, claimed_by, claimed_at, last_outcome,
      created_at, updated_at, finished_at`
    const prefixed = sql`s.id, s.phone, s.purpose, s.priority, s.context, s.use_verified_call, s.language, s.retry_config,
      s.preferred_time, s.scheduled_for, s.moved_because, s.status, s.attempts, s.current_call_id, s.claimed_by,
      s.claimed_at, s.last_outcome, s.created_at, s.updated_at, s.finished_at`

    const placedCalls = (rows: ReadonlyArray<unknown>) =>
      Effect.map(Schema.decodeUnknown(PlacedRows)(rows), (decoded) =>
        decoded.map(({ callSid, callStatus, callbackToken, callerId, claimedBefore, ...row }) => ({
          row,
          claimedBefore,
          callId: row.currentCallId ?? "",
          callSid,
          callStatus,
          callbackToken,
          callerId,
        })),
      )

    return ScheduledCallsRepo.of({
      insert: (c, now) =>
        sql`INSERT INTO scheduled_calls (id, phone, purpose, priority, context, use_verified_call, language,
              retry_config, preferred_time, scheduled_for, moved_because, status, created_at, updated_at)
            VALUES (${c.id}, ${c.phone}, ${c.purpose}, ${c.priority}, ${JSON.stringify(c.context)}::jsonb,
              ${c.useVerifiedCall}, ${c.language}, ${JSON.stringify(c.retryConfig)}::jsonb, ${c.preferredTime}, ${c.scheduledFor},
              ${c.movedBecause}, 'pending', ${now}, ${now})`.pipe(Effect.asVoid, Effect.orDie),
      listPending: (limit) =>
        sql`SELECT ${columns} FROM scheduled_calls WHERE status = 'pending'
            ORDER BY scheduled_for, priority, id LIMIT ${limit}`.pipe(
          Effect.flatMap(decodeRows),
          Effect.orDie,
        ),
      find: (id) =>
        sql`SELECT ${columns} FROM scheduled_calls WHERE id = ${id}`.pipe(
          Effect.flatMap(decodeRows),
          Effect.map((rows) => Option.fromNullable(rows[0])),
          Effect.orDie,
        ),
      lock: (id) =>
        sql`SELECT ${columns} FROM scheduled_calls WHERE id = ${id} FOR UPDATE`.pipe(
          Effect.flatMap(decodeRows),
          Effect.map((rows) => Option.fromNullable(rows[0])),
          Effect.orDie,
        ),
      findWithAttempts: (id) =>
        Effect.gen(function* () {
          yield* sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`
          const [row] = yield* decodeRows(yield* sql`SELECT ${columns} FROM scheduled_calls WHERE id = ${id}`)
          if (row === undefined) return Option.none()
          const attempts = yield* decodeAttempts(
            yield* sql`SELECT attempt, decision, call_id, outcome, next_at, detail, at FROM scheduled_call_attempts
              WHERE scheduled_call_id = ${id} ORDER BY id`,
          )
          return Option.some({ row, attempts })
        }).pipe(sql.withTransaction, Effect.orDie),
      cancel: (id, now) =>
        Effect.gen(function* () {
          const cancelled = yield* sql`UPDATE scheduled_calls SET status = 'cancelled', finished_at = ${now},
              updated_at = ${now} WHERE id = ${id} AND status = 'pending' RETURNING attempts`
          const [row] = cancelled
          if (row !== undefined) {
            yield* sql`INSERT INTO scheduled_call_attempts (scheduled_call_id, attempt, decision, at)
                VALUES (${id}, ${Number(row.attempts)}, 'cancelled', ${now})`
            return "cancelled" as const
          }
          const [existing] = yield* sql<{
            status: string
          }>`SELECT status FROM scheduled_calls WHERE id = ${id}`
          return existing === undefined ? ("not_found" as const) : { conflict: existing.status }
        }).pipe(sql.withTransaction, Effect.orDie),
      nextDue: sql`SELECT MIN(scheduled_for) AS due FROM scheduled_calls WHERE status = 'pending'`.pipe(
        Effect.flatMap(Schema.decodeUnknown(NextDue)),
        Effect.map((rows) => Option.fromNullable(rows[0]?.due)),
        Effect.orDie,
      ),
      stats: (since) =>
        Effect.gen(function* () {
          const calls = since === null ? sql`TRUE` : sql`created_at >= ${since}`
          const attempts = since === null ? sql`TRUE` : sql`at >= ${since}`
          const rows = yield* sql`
            WITH c AS (
              SELECT
                COUNT(*) AS total,
                COUNT(*) FILTER (WHERE status = 'pending') AS pending,
                COUNT(*) FILTER (WHERE status = 'dispatching') AS dispatching,
                COUNT(*) FILTER (WHERE status = 'in_progress') AS in_progress,
                COUNT(*) FILTER (WHERE status = 'completed') AS completed,
                COUNT(*) FILTER (WHERE status = 'failed') AS failed,
                COUNT(*) FILTER (WHERE status = 'cancelled') AS cancelled
              FROM scheduled_calls WHERE ${calls}
            ), a AS (
              SELECT
                COUNT(*) FILTER (WHERE decision IN ('placed', 'adopted')) AS placed,
                COUNT(*) FILTER (WHERE decision = 'outcome' AND outcome = 'completed') AS outcome_completed,
                COUNT(*) FILTER (WHERE decision = 'outcome' AND outcome = 'busy') AS outcome_busy,
                COUNT(*) FILTER (WHERE decision = 'outcome' AND outcome = 'no_answer') AS outcome_no_answer,
                COUNT(*) FILTER (WHERE decision = 'outcome' AND outcome = 'network_error') AS outcome_network_error,
                COUNT(*) FILTER (WHERE decision = 'outcome' AND outcome = 'failed') AS outcome_failed,
                COUNT(*) FILTER (WHERE decision = 'retry_scheduled') AS retries_scheduled,
                COUNT(*) FILTER (WHERE decision = 'moved') AS moved_by_timing,
                COUNT(*) FILTER (WHERE decision = 'gave_up') AS gave_up
              FROM scheduled_call_attempts WHERE ${attempts}
            )
            SELECT c.total::text, c.pending::text, c.dispatching::text, c.in_progress::text, c.completed::text,
              c.failed::text, c.cancelled::text, a.placed::text, a.outcome_completed::text, a.outcome_busy::text,
              a.outcome_no_answer::text, a.outcome_network_error::text, a.outcome_failed::text,
              a.retries_scheduled::text, a.moved_by_timing::text, a.gave_up::text
            FROM c, a`
          const [s] = yield* Schema.decodeUnknown(Schema.Array(StatsRow))(rows)
          if (s === undefined) return yield* Effect.dieMessage("the statistics query answered no row")
          return {
            total: s.total,
            byStatus: {
              pending: s.pending,
              dispatching: s.dispatching,
              in_progress: s.inProgress,
              completed: s.completed,
              failed: s.failed,
              cancelled: s.cancelled,
            },
            placed: s.placed,
            outcomes: {
              completed: s.outcomeCompleted,
              busy: s.outcomeBusy,
              no_answer: s.outcomeNoAnswer,
              network_error: s.outcomeNetworkError,
              failed: s.outcomeFailed,
            },
            retriesScheduled: s.retriesScheduled,
            movedByTiming: s.movedByTiming,
            gaveUp: s.gaveUp,
          }
        }).pipe(Effect.orDie),
      lockDue: (now, limit) =>
        sql`SELECT ${columns} FROM scheduled_calls WHERE status = 'pending' AND scheduled_for <= ${now}
            ORDER BY priority, scheduled_for, id LIMIT ${limit} FOR UPDATE SKIP LOCKED`.pipe(
          Effect.flatMap(decodeRows),
          Effect.orDie,
        ),
      recordAttempts: (attempts) =>
        attempts.length === 0
          ? Effect.void
          : sql`INSERT INTO scheduled_call_attempts ${sql.insert(
              attempts.map((a) => ({
                scheduledCallId: a.scheduledCallId,
                attempt: a.attempt,
                decision: a.decision,
                callId: a.callId ?? null,
                outcome: a.outcome ?? null,
                nextAt: a.nextAt ?? null,
                detail: a.detail ?? null,
                at: a.at,
              })),
            )}`.pipe(Effect.asVoid, Effect.orDie),
      markDispatching: (claims, owner, now) =>
        claims.length === 0
          ? Effect.void
          : sql`UPDATE scheduled_calls AS s SET status = 'dispatching', attempts = s.attempts + 1,
                current_call_id = v.call_id, claimed_by = ${owner}, claimed_at = ${now}, updated_at = ${now}
              FROM ${sql.updateValues(
                claims.map((c) => ({ id: c.id, callId: c.callId })),
                "v",
              )}
              WHERE s.id = v.id`.pipe(Effect.asVoid, Effect.orDie),
      moveTo: (id, dueAt, because, now) =>
        sql`UPDATE scheduled_calls SET scheduled_for = ${dueAt}, moved_because = ${because}, updated_at = ${now}
            WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie),
      markPlaced: (id, callId, now) =>
        sql`UPDATE scheduled_calls SET status = 'in_progress', updated_at = ${now}
            WHERE id = ${id} AND current_call_id = ${callId} AND status = 'dispatching'`.pipe(
          Effect.asVoid,
          Effect.orDie,
        ),
      finish: (id, status, outcome, now) =>
        sql`UPDATE scheduled_calls SET status = ${status}, last_outcome = ${outcome}, finished_at = ${now},
              updated_at = ${now}, claimed_by = NULL WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie),
      reschedule: (id, dueAt, because, outcome, now) =>
        sql`UPDATE scheduled_calls SET status = 'pending', scheduled_for = ${dueAt}, moved_because = ${because},
              last_outcome = ${outcome}, current_call_id = NULL, claimed_by = NULL, claimed_at = NULL,
              updated_at = ${now} WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie),
      unsettled: (limit) =>
        sql`SELECT s.id, s.current_call_id AS call_id, c.status AS call_status
            FROM scheduled_calls s JOIN calls c ON c.id = s.current_call_id
            WHERE s.status IN ('dispatching', 'in_progress') AND c.status IN ${sql.in(terminal)}
            LIMIT ${limit}`.pipe(Effect.flatMap(Schema.decodeUnknown(UnsettledRows)), Effect.orDie),
      takeOverExpired: (now, leaseMs, owner, othersDead) =>
        Effect.gen(function* () {
          const expiredBefore = new Date(now.getTime() - leaseMs)
          // Never this process's own claims: it is alive, and may be waiting on Exotel for one of them.
          const presumedDead = othersDead
            ? sql`s.claimed_by IS DISTINCT FROM ${owner}`
            : sql`(s.claimed_by IS DISTINCT FROM ${owner} AND s.claimed_at < ${expiredBefore})`
          const rows = yield* sql`
            WITH taken AS (
              SELECT id, claimed_at AS claimed_before FROM scheduled_calls s
              WHERE s.status = 'dispatching' AND ${presumedDead}
              ORDER BY s.claimed_at LIMIT 100 FOR UPDATE SKIP LOCKED
            ), updated AS (
              UPDATE scheduled_calls s SET claimed_by = ${owner}, claimed_at = ${now}, updated_at = ${now}
              FROM taken WHERE s.id = taken.id RETURNING ${prefixed}, taken.claimed_before
            )
            SELECT s.*, c.call_sid, c.status AS call_status, c.callback_token, c.caller_id
            FROM updated s JOIN calls c ON c.id = s.current_call_id`
          return yield* placedCalls(rows)
        }).pipe(Effect.orDie),
      quietCalls: (now, quietMs, owner, othersDead) =>
        Effect.gen(function* () {
          const quietSince = new Date(now.getTime() - quietMs)
          const presumedLost = othersDead
            ? sql`(s.claimed_by IS DISTINCT FROM ${owner} OR s.updated_at < ${quietSince})`
            : sql`s.updated_at < ${quietSince}`
          const rows = yield* sql`
            WITH quiet AS (
              SELECT s.id FROM scheduled_calls s JOIN calls c ON c.id = s.current_call_id
              WHERE s.status = 'in_progress' AND ${presumedLost} AND c.status NOT IN ${sql.in(terminal)}
                AND c.call_sid IS NOT NULL
              LIMIT 100 FOR UPDATE OF s SKIP LOCKED
            ), updated AS (
              UPDATE scheduled_calls s SET claimed_by = ${owner}, updated_at = ${now}
              FROM quiet WHERE s.id = quiet.id RETURNING ${prefixed}
            )
            SELECT s.*, c.call_sid, c.status AS call_status, c.callback_token, c.caller_id
            FROM updated s JOIN calls c ON c.id = s.current_call_id`
          return yield* placedCalls(rows)
        }).pipe(Effect.orDie),
    })
  }),
)
