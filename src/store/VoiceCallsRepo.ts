// The voice_calls rows (the seed's columns), each call's flow state in metadata, its attempts, its append-only
// event log, and the webhook outbox rows written in the same transaction as the state they announce.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option, Schema } from "effect"
import type { FlowState } from "../domain/FlowState.js"
import {
  CallStatus,
  CallType,
  type DomainEvent,
  decisionOfStatus,
  Language,
  RejectionReason,
} from "../domain/VoiceCall.js"
import { VoiceCallEvent, VoiceCallRecord, VoiceCallRow } from "../domain/VoiceCallRecord.js"
import { attemptStatusOf, outcomeOf } from "../policy/callOutcome.js"
import { makeBatcher } from "./groupCommit.js"

export const FlowStateSchema = Schema.Struct({
  callType: CallType,
  language: Language,
  phase: Schema.Literal("dialing", "ringing", "asking", "ended"),
  status: CallStatus,
  step: Schema.NullOr(Schema.Literal("decision", "prep_time", "reason")),
  reprompts: Schema.Number,
  entry: Schema.String,
  dtmfDigits: Schema.String,
  decision: Schema.NullOr(Schema.Literal("accepted", "rejected")),
  prepTimeMinutes: Schema.NullOr(Schema.Number),
  rejectionReason: Schema.NullOr(RejectionReason),
  attempt: Schema.Number,
  maxAttempts: Schema.Number,
})

export const CallDetails = Schema.Struct({
  recipientName: Schema.NullOr(Schema.String),
  orderId: Schema.NullOr(Schema.Number),
  orderAmount: Schema.NullOr(Schema.Number),
  itemCount: Schema.NullOr(Schema.Number),
  vendorName: Schema.NullOr(Schema.String),
  vendorAddress: Schema.NullOr(Schema.String),
})
export type CallDetails = typeof CallDetails.Type

export const CallMode = Schema.Literal("built-in", "external")
export type CallMode = typeof CallMode.Type

const Metadata = Schema.Struct({
  flow: FlowStateSchema,
  details: CallDetails,
  mode: CallMode,
  nextRetryAt: Schema.optional(Schema.NullOr(Schema.String)),
})

const Row = Schema.Struct({ ...VoiceCallRow.fields, metadata: Schema.Unknown, version: Schema.Number })
const decodeRows = Schema.decodeUnknown(Schema.Array(Row))
const decodeRecords = Schema.decodeUnknown(Schema.Array(VoiceCallRecord))
const decodeMetadata = Schema.decodeUnknown(Metadata)
const decodeEvents = Schema.decodeUnknown(Schema.Array(VoiceCallEvent))

/** An order has a handful of calls; this bounds the log of one whose callbacks went wild. */
const orderEventLogLimit = 2000

export interface StoredCall {
  readonly record: VoiceCallRow
  readonly flow: FlowState
  readonly details: CallDetails
  readonly mode: CallMode
  /** When the next attempt is due, if a retry was scheduled. */
  readonly nextRetryAt: string | null
  /**
   * The row's version (in its metadata, so the seed's columns stay as they are; none yet reads as 0): a commit
   * names the one it read, and is refused if another commit came first.
   */
  readonly version: number
}

/** What became of a step: written; a repeat of a delivery already logged (nothing changed); or refused because
 * another session committed first (the caller reloads and applies its event again). */
export type StepWritten = "fresh" | "repeat" | "stale"

export interface NewCall {
  readonly id: string
  readonly flow: FlowState
  readonly details: CallDetails
  readonly mode: CallMode
  readonly orderId: number | null
  readonly vendorId: number | null
  readonly riderId: number | null
  readonly phoneNumber: string
  /** Known at once for a call Exotel's flow opened: written with the row, as `setCallSid` would. */
  readonly callSid?: string | undefined
}

export interface LogEntry {
  readonly event: string
  readonly source: "stream" | "nerve" | "exotel" | "timer" | "api"
  readonly detail: unknown
  readonly applied: boolean
  /** Set for deliveries that may repeat (callbacks): a second one with the same key changes nothing. */
  readonly dedupKey?: string | undefined
}

export interface CallStats {
  readonly total: number
  readonly byStatus: Record<string, number>
  /** Calls whose flow ran to its end (the seed's "completed calls"). */
  readonly completed: number
  readonly answered: number
  readonly averageDurationSeconds: number | null
  readonly accepted: number
  readonly rejected: number
  readonly averagePrepTimeMinutes: number | null
  /** Vendor confirmation calls, and those the vendor accepted: the seed's "Nerve call success". */
  readonly vendorCalls: number
  readonly vendorAccepted: number
  /** Every attempt of the period's calls (each call's attempts are 1…attempt_number), and the calls retried. */
  readonly attempts: number
  readonly callsRetried: number
}

// COUNT is a bigint and AVG a numeric: both arrive as text.
const Count = Schema.Union(Schema.Number, Schema.NumberFromString)
const StatusRow = Schema.Struct({
  status: Schema.String,
  n: Count,
  ended: Count,
  answered: Count,
  durationSum: Schema.NullOr(Count),
  durationN: Count,
  prepSum: Schema.NullOr(Count),
  prepN: Count,
  vendorTotal: Count,
  attempts: Count,
  retried: Count,
})
type StatusRow = typeof StatusRow.Type

/** A call that ran to its end, with its answer or none to get: the seed's "completed calls". */
const ranToItsEnd = new Set(["accepted", "rejected", "prep_time_set", "completed"])

export interface VoiceCallsRepoShape {
  /** Whether a commit's events go to the webhook outbox: only when some EVENT_WEBHOOK_URLS is configured. */
  readonly queuesWebhooks: boolean
  readonly insert: (call: NewCall) => Effect.Effect<void>
  readonly find: (id: string) => Effect.Effect<Option.Option<StoredCall>>
  /** An order's calls, oldest first, each with its attempts. */
  readonly findByOrder: (orderId: number) => Effect.Effect<ReadonlyArray<VoiceCallRecord>>
  /**
   * Calls still waiting on their vendor or rider, placed in the last `withinHours`, newest first: on the line
   * and undecided, or ended failed, busy or unanswered (whether or not a retry is due).
   */
  readonly waiting: (withinHours: number, limit: number) => Effect.Effect<ReadonlyArray<VoiceCallRecord>>
  readonly findByCallSid: (callSid: string) => Effect.Effect<Option.Option<StoredCall>>
  /** The call sid of the call's current attempt. */
  readonly setCallSid: (id: string, callSid: string) => Effect.Effect<void>
  /** Calls placed through Exotel that have not ended and have heard nothing for `quietSeconds`. */
  readonly quietOpenCalls: (
    quietSeconds: number,
    limit: number,
  ) => Effect.Effect<ReadonlyArray<{ readonly id: string; readonly callSid: string }>>
  /** Calls that have not ended, placed in the last `withinHours`, newest first. */
  readonly openCalls: (withinHours: number, limit: number) => Effect.Effect<ReadonlyArray<StoredCall>>
  /** Calls whose retry is due at some instant and has not been taken yet: re-armed when a gateway starts. */
  readonly pendingRetries: Effect.Effect<ReadonlyArray<{ readonly id: string; readonly nextRetryAt: string }>>
  /** Takes the retry due at `at`; false when another gateway (or an earlier arming) took it first. */
  readonly claimRetry: (id: string, at: string) => Effect.Effect<boolean>
  /** Recordings arrive with the last callback, often after the flow has ended: kept whatever the state. */
  readonly setRecordingUrl: (id: string, url: string) => Effect.Effect<void>
  /**
   * State, attempt, log entry and outbox rows in one statement, if the row is still at `version`. A repeat when
   * the dedup key was seen before; stale when another commit changed the row since it was read.
   */
  readonly commit: (
    id: string,
    flow: FlowState,
    version: number,
    entry: LogEntry,
    events: ReadonlyArray<DomainEvent>,
    extra?: { readonly recordingUrl?: string | null; readonly nextRetryAt?: string | null },
  ) => Effect.Effect<StepWritten>
  /** Only the log entry: an event recorded, not applied. False when the dedup key was seen before. */
  readonly log: (id: string, status: string, entry: LogEntry) => Effect.Effect<boolean>
  readonly events: (
    id: string,
  ) => Effect.Effect<
    ReadonlyArray<{ readonly event: string; readonly applied: boolean; readonly statusAfter: string }>
  >
  /** The event log of every call of an order, oldest first (at most `orderEventLogLimit` entries). */
  readonly orderEventLog: (orderId: number) => Effect.Effect<ReadonlyArray<VoiceCallEvent>>
  readonly stats: (sinceHours: number) => Effect.Effect<CallStats>
}

export class VoiceCallsRepo extends Context.Tag("VoiceCallsRepo")<VoiceCallsRepo, VoiceCallsRepoShape>() {}

const columns = `id, call_type, status, order_id, vendor_id, rider_id, phone_number, recipient_name, call_sid,
  dtmf_digits, prep_time_minutes, rejection_reason, recording_url, language, attempt_number, max_attempts,
  initiated_at, answered_at, ended_at, duration_seconds, created_at, updated_at, metadata,
  COALESCE((metadata->>'version')::int, 0) AS version`

/** One step's row of the batched statement: a commit, or only a log entry. */
interface StepWrite {
  readonly kind: "commit" | "log"
  readonly id: string
  readonly event: string
  readonly source: string
  readonly detail: unknown
  readonly applied: boolean
  readonly status: string
  readonly dedup_key: string | null
  readonly dtmf: string | null
  readonly prep: number | null
  readonly rejection: string | null
  readonly attempt: number | null
  readonly recording_url: string | null
  readonly ended: boolean
  readonly meta: unknown
  readonly attempt_status: string | null
  readonly outcome: string | null
  readonly outbox: ReadonlyArray<unknown>
  /** For a commit, the version it expects the row at. */
  readonly version: number | null
}

/** A new call as a row of the batched insert. */
const insertRow = (call: NewCall, ord: number) => ({
  ord,
  id: call.id,
  call_type: call.flow.callType,
  status: call.flow.status,
  order_id: call.orderId,
  vendor_id: call.vendorId,
  rider_id: call.riderId,
  phone_number: call.phoneNumber,
  recipient_name: call.details.recipientName,
  language: call.flow.language,
  attempt_number: call.flow.attempt,
  max_attempts: call.flow.maxAttempts,
  call_sid: call.callSid ?? null,
  metadata: { flow: call.flow, details: call.details, mode: call.mode },
  attempt_status: attemptStatusOf(call.flow),
})

const eventColumns = (entry: LogEntry) => ({
  event: entry.event,
  source: entry.source,
  detail: entry.detail ?? null,
  applied: entry.applied,
  dedup_key: entry.dedupKey ?? null,
})

export const voiceCallsRepoLayer = (webhookUrls: ReadonlyArray<string>) =>
  Layer.scoped(
    VoiceCallsRepo,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient

      const toStored = (rows: ReadonlyArray<unknown>) =>
        Effect.gen(function* () {
          const decoded = yield* decodeRows(rows)
          const row = decoded[0]
          if (row === undefined) return Option.none<StoredCall>()
          const meta = yield* decodeMetadata(
            typeof row.metadata === "string" ? JSON.parse(row.metadata) : row.metadata,
          )
          const { metadata: _, version, ...record } = row
          return Option.some<StoredCall>({
            record,
            flow: meta.flow,
            details: meta.details,
            mode: meta.mode,
            nextRetryAt: meta.nextRetryAt ?? null,
            version,
          })
        })

      // Steps of many calls in one statement (groupCommit.ts). A commit is written only when its entry is new (not
      // a repeat delivery) and its row is still at the version its session read: then its row (one version up),
      // its attempt, its log entry and one outbox row per event and webhook URL. A log entry is written when new.
      // Atomic without a transaction, as one statement is; the version test is repeated by the UPDATE itself, so a
      // commit of another process that wins the row's lock meanwhile makes this one stale, not lost.
      const writeSteps = (batch: ReadonlyArray<StepWrite>) =>
        sql<{ callId: string; result: StepWritten }>`
          WITH input AS (
            SELECT * FROM jsonb_to_recordset(${JSON.stringify(batch.map((w, ord) => ({ ...w, ord })))}::jsonb) AS x(
              ord int, kind text, id text, event text, source text, detail jsonb, applied boolean,
              status text, dedup_key text, dtmf text, prep int, rejection text, attempt int, recording_url text,
              ended boolean, meta jsonb, attempt_status text, outcome text, outbox jsonb, version int)
          ), repeated AS (
            SELECT x.id FROM input x
            WHERE x.dedup_key IS NOT NULL AND EXISTS (
              SELECT 1 FROM voice_call_events e WHERE e.call_id = x.id AND e.dedup_key = x.dedup_key)
          ), updated AS (
            UPDATE voice_calls v SET
              status = x.status,
              dtmf_digits = x.dtmf,
              prep_time_minutes = x.prep,
              rejection_reason = x.rejection,
              attempt_number = x.attempt,
              recording_url = COALESCE(x.recording_url, v.recording_url),
              answered_at = CASE WHEN x.status = 'answered' THEN COALESCE(v.answered_at, NOW()::timestamp) ELSE v.answered_at END,
              ended_at = CASE WHEN x.ended THEN COALESCE(v.ended_at, NOW()::timestamp) ELSE NULL END,
              duration_seconds = CASE WHEN x.ended AND v.answered_at IS NOT NULL
                THEN GREATEST(0, EXTRACT(EPOCH FROM (NOW()::timestamp - v.answered_at))::int) ELSE v.duration_seconds END,
              metadata = v.metadata || x.meta
                || jsonb_build_object('version', COALESCE((v.metadata->>'version')::int, 0) + 1),
              updated_at = NOW()
            FROM input x
            WHERE x.kind = 'commit' AND v.id = x.id AND COALESCE((v.metadata->>'version')::int, 0) = x.version
              AND x.id NOT IN (SELECT id FROM repeated)
            RETURNING v.id
          ), logged AS (
            INSERT INTO voice_call_events (call_id, event, source, detail, applied, status_after, dedup_key)
            SELECT id, event, source, detail, applied, status, dedup_key FROM input x
            WHERE x.id NOT IN (SELECT id FROM repeated)
              AND (x.kind = 'log' OR x.id IN (SELECT id FROM updated))
            ORDER BY ord
            ON CONFLICT DO NOTHING
            RETURNING call_id
          ), attempted AS (
            -- The current attempt's row; a retry's first commit starts the next one.
            INSERT INTO voice_call_attempts (call_id, attempt, status, outcome, ended_at)
            SELECT x.id, x.attempt, x.attempt_status, x.outcome, CASE WHEN x.ended THEN NOW() END
            FROM input x WHERE x.id IN (SELECT id FROM updated)
            ON CONFLICT (call_id, attempt) DO UPDATE SET
              status = EXCLUDED.status,
              outcome = EXCLUDED.outcome,
              ended_at = CASE WHEN EXCLUDED.outcome IS NULL THEN NULL
                ELSE COALESCE(voice_call_attempts.ended_at, EXCLUDED.ended_at) END
          ), queued AS (
            INSERT INTO webhook_outbox (event_id, url, event_type, payload)
            SELECT o->>'event_id', o->>'url', o->>'event_type', o->'payload'
            FROM input x, jsonb_array_elements(x.outbox) AS o
            WHERE x.kind = 'commit' AND x.id IN (SELECT id FROM updated)
            ON CONFLICT DO NOTHING
          )
          SELECT x.id AS call_id, CASE
            WHEN x.id IN (SELECT id FROM repeated) THEN 'repeat'
            WHEN x.kind = 'commit' AND x.id NOT IN (SELECT id FROM updated) THEN 'stale'
            WHEN x.kind = 'log' AND x.id NOT IN (SELECT call_id FROM logged) THEN 'repeat'
            ELSE 'fresh' END AS result
          FROM input x`.pipe(
          Effect.map((rows) => new Map(rows.map((r) => [r.callId, r.result] as const))),
          Effect.orDie,
        )
      const writeStep = yield* makeBatcher({
        keyOf: (w: StepWrite) => w.id,
        run: writeSteps,
        // Every row of the batch answers; one that did not was not written.
        absent: "repeat" as StepWritten,
        maxBatch: 256,
      })

      // One statement, so the attempts are those of the rows read; timestamptz in JSON keeps its offset.
      const withAttempts = (where: string, params: ReadonlyArray<string | number>) =>
        sql
          .unsafe(
            `SELECT ${columns}, COALESCE((
               SELECT json_agg(json_build_object('attempt', a.attempt, 'callSid', a.call_sid, 'status', a.status,
                 'outcome', a.outcome, 'startedAt', a.started_at, 'endedAt', a.ended_at) ORDER BY a.attempt)
               FROM voice_call_attempts a WHERE a.call_id = voice_calls.id), '[]'::json) AS attempts
             FROM voice_calls WHERE ${where}`,
            params,
          )
          .pipe(Effect.flatMap(decodeRecords), Effect.orDie)

      // Finds of many calls in one statement (groupCommit.ts): each stream that starts, and each session that
      // (re)loads, reads its call's row.
      const findMany = (ids: ReadonlyArray<string>) =>
        sql
          .unsafe(
            `SELECT ${columns} FROM voice_calls WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
            [JSON.stringify(ids)],
          )
          .pipe(
            Effect.flatMap((rows) => Effect.forEach(rows, (row) => toStored([row]))),
            Effect.map(
              (found) =>
                new Map(
                  found.flatMap((call) =>
                    Option.isSome(call) ? [[call.value.record.id, call] as const] : [],
                  ),
                ),
            ),
            Effect.orDie,
          )
      const find = yield* makeBatcher({
        keyOf: (id: string) => id,
        run: findMany,
        absent: Option.none<StoredCall>(),
        maxBatch: 256,
      })

      // New calls in one statement: the row, its first attempt and the "initiated" entry of its log, each. Atomic
      // without a transaction, as one statement is; a batch refused (a repeated id) is written again one by one.
      const insertMany = (calls: ReadonlyArray<NewCall>) =>
        sql`
          WITH input AS (
            SELECT * FROM jsonb_to_recordset(${JSON.stringify(calls.map(insertRow))}::jsonb) AS x(
              ord int, id text, call_type text, status text, order_id int, vendor_id int, rider_id int,
              phone_number text, recipient_name text, language text, attempt_number int, max_attempts int,
              call_sid text, metadata jsonb, attempt_status text)
          ), inserted AS (
            INSERT INTO voice_calls (id, call_type, status, order_id, vendor_id, rider_id, phone_number,
              recipient_name, language, attempt_number, max_attempts, call_sid, metadata)
            SELECT id, call_type, status, order_id, vendor_id, rider_id, phone_number, recipient_name, language,
              attempt_number, max_attempts, call_sid, metadata
            FROM input ORDER BY ord
            RETURNING id
          ), attempted AS (
            INSERT INTO voice_call_attempts (call_id, attempt, status, call_sid)
            SELECT x.id, x.attempt_number, x.attempt_status, x.call_sid FROM input x JOIN inserted i ON i.id = x.id
          )
          INSERT INTO voice_call_events (call_id, event, source, detail, applied, status_after)
          SELECT x.id, 'initiated', 'api', 'null'::jsonb, true, x.status
          FROM input x JOIN inserted i ON i.id = x.id ORDER BY x.ord`.pipe(
          Effect.as(new Map(calls.map((call) => [call.id, undefined] as const))),
          Effect.orDie,
        )
      const insert = yield* makeBatcher({
        keyOf: (call: NewCall) => call.id,
        run: insertMany,
        absent: undefined,
        maxBatch: 256,
      })

      return VoiceCallsRepo.of({
        queuesWebhooks: webhookUrls.length > 0,
        insert,
        find,
        findByCallSid: (callSid) =>
          sql
            .unsafe(
              `SELECT ${columns} FROM voice_calls WHERE call_sid = $1 ORDER BY created_at DESC LIMIT 1`,
              [callSid],
            )
            .pipe(Effect.flatMap(toStored), Effect.orDie),
        findByOrder: (orderId) => withAttempts("order_id = $1 ORDER BY created_at, id", [orderId]),
        waiting: (withinHours, limit) =>
          withAttempts(
            `status IN ('initiated', 'ringing', 'answered', 'failed', 'busy', 'no_response')
               AND created_at > NOW()::timestamp - make_interval(hours => $1)
             ORDER BY created_at DESC, id DESC LIMIT $2`,
            [withinHours, limit],
          ),
        quietOpenCalls: (quietSeconds, limit) =>
          sql<{ id: string; callSid: string }>`
            SELECT id, call_sid FROM voice_calls
            WHERE ended_at IS NULL AND call_sid IS NOT NULL
              AND updated_at < NOW()::timestamp - make_interval(secs => ${quietSeconds})
            ORDER BY updated_at LIMIT ${limit}`.pipe(Effect.orDie),
        openCalls: (withinHours, limit) =>
          sql<{ id: string }>`
            SELECT id FROM voice_calls
            WHERE ended_at IS NULL AND created_at > NOW()::timestamp - make_interval(hours => ${withinHours})
            ORDER BY created_at DESC LIMIT ${limit}`.pipe(
            // Together, so the finds share statements.
            Effect.flatMap((rows) =>
              Effect.forEach(rows, ({ id }) => find(id), { concurrency: "unbounded" }),
            ),
            Effect.map((found) => found.flatMap((call) => (Option.isSome(call) ? [call.value] : []))),
            Effect.orDie,
          ),
        pendingRetries: sql<{ id: string; nextRetryAt: string }>`
          SELECT id, metadata->>'nextRetryAt' AS next_retry_at FROM voice_calls
          WHERE metadata->>'nextRetryAt' IS NOT NULL`.pipe(Effect.orDie),
        claimRetry: (id, at) =>
          sql`UPDATE voice_calls SET metadata = jsonb_set(metadata, '{nextRetryAt}', 'null'::jsonb)
              WHERE id = ${id} AND metadata->>'nextRetryAt' = ${at} RETURNING id`.pipe(
            Effect.map((rows) => rows.length > 0),
            Effect.orDie,
          ),
        setCallSid: (id, callSid) =>
          sql`
            WITH call AS (
              UPDATE voice_calls SET call_sid = ${callSid}, updated_at = NOW() WHERE id = ${id}
              RETURNING attempt_number
            )
            UPDATE voice_call_attempts SET call_sid = ${callSid}
            WHERE call_id = ${id} AND attempt = (SELECT attempt_number FROM call)`.pipe(
            Effect.asVoid,
            Effect.orDie,
          ),
        // One statement, so one round trip and atomic without a transaction: the log entry (skipped for a repeat
        // delivery), the row, and one outbox row per event and webhook URL.
        setRecordingUrl: (id, url) =>
          sql`UPDATE voice_calls SET recording_url = ${url}, updated_at = NOW() WHERE id = ${id}`.pipe(
            Effect.asVoid,
            Effect.orDie,
          ),
        commit: (id, flow, version, entry, events, extra = {}) =>
          writeStep({
            kind: "commit",
            id,
            version,
            ...eventColumns(entry),
            status: flow.status,
            dtmf: flow.dtmfDigits.length > 0 ? flow.dtmfDigits : null,
            prep: flow.prepTimeMinutes,
            rejection: flow.rejectionReason,
            attempt: flow.attempt,
            recording_url: extra.recordingUrl ?? null,
            ended: flow.phase === "ended",
            meta: { flow, nextRetryAt: extra.nextRetryAt ?? null },
            attempt_status: attemptStatusOf(flow),
            outcome: outcomeOf(flow),
            outbox: events.flatMap((event) =>
              webhookUrls.map((url) => ({
                event_id: event.eventId,
                url,
                event_type: event.type,
                payload: event,
              })),
            ),
          }),
        log: (id, status, entry) =>
          writeStep({
            kind: "log",
            id,
            version: null,
            ...eventColumns(entry),
            status,
            dtmf: null,
            prep: null,
            rejection: null,
            attempt: null,
            recording_url: null,
            ended: false,
            meta: null,
            attempt_status: null,
            outcome: null,
            outbox: [],
          }).pipe(Effect.map((written) => written === "fresh")),
        events: (id) =>
          sql<{ event: string; applied: boolean; statusAfter: string }>`
            SELECT event, applied, status_after FROM voice_call_events WHERE call_id = ${id} ORDER BY id`.pipe(
            Effect.orDie,
          ),
        orderEventLog: (orderId) =>
          sql`
            SELECT e.call_id, e.event, e.source, e.detail, e.applied, e.status_after, e.created_at AS at
            FROM voice_call_events e JOIN voice_calls c ON c.id = e.call_id
            WHERE c.order_id = ${orderId} ORDER BY e.id LIMIT ${orderEventLogLimit}`.pipe(
            Effect.flatMap(decodeEvents),
            Effect.orDie,
          ),
        stats: (sinceHours) =>
          Effect.gen(function* () {
            // One pass over the period, one row per status (a handful). Every figure is read from the status and the
            // attempt number, as GET /nerve/calls/order/:orderId shows them, so the two agree; the totals are sums
            // of the rows. (Counting the attempts rows instead would join a second table for the same number.)
            const rows = yield* sql`
              SELECT status, COUNT(*) AS n, COUNT(ended_at) AS ended, COUNT(answered_at) AS answered,
                SUM(duration_seconds) AS duration_sum, COUNT(duration_seconds) AS duration_n,
                SUM(prep_time_minutes) AS prep_sum, COUNT(prep_time_minutes) AS prep_n,
                COUNT(*) FILTER (WHERE call_type = 'vendor_confirmation') AS vendor_total,
                SUM(COALESCE(attempt_number, 1)) AS attempts,
                COUNT(*) FILTER (WHERE attempt_number > 1) AS retried
              FROM voice_calls WHERE created_at >= NOW() - make_interval(hours => ${sinceHours})
              GROUP BY status`.pipe(Effect.flatMap(Schema.decodeUnknown(Schema.Array(StatusRow))))
            const sum = (f: (r: StatusRow) => number) => rows.reduce((total, r) => total + f(r), 0)
            const average = (total: number, n: number) => (n === 0 ? null : Math.round((total / n) * 10) / 10)
            const accepted = (r: StatusRow) => decisionOfStatus(r.status) === "accepted"
            const prepTimeSet = (r: StatusRow) => r.status === "prep_time_set"
            return {
              total: sum((r) => r.n),
              byStatus: Object.fromEntries(rows.map((r) => [r.status, r.n])),
              completed: sum((r) => (ranToItsEnd.has(r.status) ? r.ended : 0)),
              answered: sum((r) => r.answered),
              averageDurationSeconds: average(
                sum((r) => r.durationSum ?? 0),
                sum((r) => r.durationN),
              ),
              accepted: sum((r) => (accepted(r) ? r.n : 0)),
              rejected: sum((r) => (decisionOfStatus(r.status) === "rejected" ? r.n : 0)),
              averagePrepTimeMinutes: average(
                sum((r) => (prepTimeSet(r) ? (r.prepSum ?? 0) : 0)),
                sum((r) => (prepTimeSet(r) ? r.prepN : 0)),
              ),
              vendorCalls: sum((r) => r.vendorTotal),
              vendorAccepted: sum((r) => (accepted(r) ? r.vendorTotal : 0)),
              attempts: sum((r) => r.attempts),
              callsRetried: sum((r) => r.retried),
            }
          }).pipe(Effect.orDie),
      })
    }),
  )
