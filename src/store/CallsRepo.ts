// The calls table: every call the gateway places, written before Exotel is asked, and updated from its answer
// and its status callbacks.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option, Schema } from "effect"

export const CallRecord = Schema.Struct({
  id: Schema.String,
  callSid: Schema.NullOr(Schema.String),
  kind: Schema.String,
  direction: Schema.Literal("inbound", "outbound"),
  status: Schema.String,
  fromNumber: Schema.String,
  toNumber: Schema.NullOr(Schema.String),
  callerId: Schema.NullOr(Schema.String),
  purpose: Schema.NullOr(Schema.String),
  reason: Schema.NullOr(Schema.String),
  orderId: Schema.NullOr(Schema.String),
  customField: Schema.NullOr(Schema.String),
  callbackToken: Schema.String,
  recordingUrl: Schema.NullOr(Schema.String),
  durationSeconds: Schema.NullOr(Schema.Number),
  error: Schema.NullOr(Schema.String),
  createdAt: Schema.DateFromSelf,
  updatedAt: Schema.DateFromSelf,
  endedAt: Schema.NullOr(Schema.DateFromSelf),
})
export type CallRecord = typeof CallRecord.Type

export interface NewCall {
  readonly id: string
  readonly kind: "click_to_call" | "verified" | "voice_ai" | "scheduled" | "campaign"
  readonly status: string
  readonly fromNumber: string
  readonly toNumber: string | null
  readonly callerId: string
  readonly purpose: string | null
  readonly reason: string | null
  readonly orderId: string | null
  readonly customField: string | null
  readonly record: boolean
  readonly timeLimit: number | null
  readonly clientCallback: string | null
  readonly callbackToken: string
}

export interface CallFilters {
  readonly status?: string | undefined
  readonly direction?: "inbound" | "outbound" | undefined
  readonly from?: Date | undefined
  readonly to?: Date | undefined
  readonly phone?: string | undefined
}

export const terminalCallStatuses = ["completed", "failed", "busy", "no-answer", "canceled"] as const

export interface CallsRepoShape {
  readonly insert: (call: NewCall) => Effect.Effect<void>
  /** Many calls in one statement: a dispatcher's batch is written in the transaction that claims it. */
  readonly insertMany: (calls: ReadonlyArray<NewCall>) => Effect.Effect<void>
  readonly accepted: (id: string, callSid: string, status: string) => Effect.Effect<void>
  readonly failed: (id: string, error: string) => Effect.Effect<void>
  readonly find: (idOrSid: string) => Effect.Effect<Option.Option<CallRecord>>
  readonly findByToken: (token: string) => Effect.Effect<Option.Option<CallRecord>>
  /**
   * Records a status change reported by Exotel once: a repeat (same call, same status) changes nothing, and a
   * late non-terminal status never overwrites a terminal one. True when this call changed anything.
   */
  readonly recordStatus: (
    call: CallRecord,
    callSid: string,
    status: string,
    details: { recordingUrl: string | null; durationSeconds: number | null; payload: unknown },
  ) => Effect.Effect<boolean>
  readonly list: (
    filters: CallFilters,
    page: number,
    limit: number,
  ) => Effect.Effect<{ readonly calls: ReadonlyArray<CallRecord>; readonly total: number }>
  /** Calls Exotel took that have not ended, placed in the last `withinHours`, newest first. */
  readonly openCalls: (withinHours: number, limit: number) => Effect.Effect<ReadonlyArray<CallRecord>>
}

export class CallsRepo extends Context.Tag("CallsRepo")<CallsRepo, CallsRepoShape>() {}

const decodeAll = Schema.decodeUnknown(Schema.Array(CallRecord))
const decodeFirst = (rows: ReadonlyArray<unknown>) =>
  Effect.map(decodeAll(rows), (r) => Option.fromNullable(r[0]))
const Count = Schema.Array(Schema.Struct({ total: Schema.NumberFromString }))

export const CallsRepoLive = Layer.effect(
  CallsRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const columns = sql`id, call_sid, kind, direction, status, from_number, to_number, caller_id, purpose, reason,
      order_id, custom_field, callback_token, recording_url, duration_seconds, error, created_at, updated_at, ended_at`

    const where = (f: CallFilters) =>
      sql.and([
        ...(f.status === undefined ? [] : [sql`status = ${f.status}`]),
        ...(f.direction === undefined ? [] : [sql`direction = ${f.direction}`]),
        ...(f.from === undefined ? [] : [sql`created_at >= ${f.from}`]),
        ...(f.to === undefined ? [] : [sql`created_at <= ${f.to}`]),
        ...(f.phone === undefined ? [] : [sql`(from_number = ${f.phone} OR to_number = ${f.phone})`]),
      ])

    return CallsRepo.of({
      insert: (c) =>
        sql`INSERT INTO calls (id, kind, status, from_number, to_number, caller_id, purpose, reason, order_id,
              custom_field, record, time_limit, client_callback, callback_token)
            VALUES (${c.id}, ${c.kind}, ${c.status}, ${c.fromNumber}, ${c.toNumber}, ${c.callerId}, ${c.purpose},
              ${c.reason}, ${c.orderId}, ${c.customField}, ${c.record}, ${c.timeLimit}, ${c.clientCallback},
              ${c.callbackToken})`.pipe(Effect.asVoid, Effect.orDie),
      insertMany: (many) =>
        many.length === 0
          ? Effect.void
          : sql`INSERT INTO calls ${sql.insert(
              many.map((c) => ({
                id: c.id,
                kind: c.kind,
                status: c.status,
                fromNumber: c.fromNumber,
                toNumber: c.toNumber,
                callerId: c.callerId,
                purpose: c.purpose,
                reason: c.reason,
                orderId: c.orderId,
                customField: c.customField,
                record: c.record,
                timeLimit: c.timeLimit,
                clientCallback: c.clientCallback,
                callbackToken: c.callbackToken,
              })),
            )}`.pipe(Effect.asVoid, Effect.orDie),
      // A callback may have filled in the sid and a later status first; the answer must not undo them.
      accepted: (id, callSid, status) =>
        sql`UPDATE calls SET call_sid = COALESCE(call_sid, ${callSid}),
              status = CASE WHEN status = 'initiated' THEN ${status} ELSE status END, updated_at = NOW()
            WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie),
      failed: (id, error) =>
        sql`UPDATE calls SET status = 'failed', error = ${error}, updated_at = NOW() WHERE id = ${id}`.pipe(
          Effect.asVoid,
          Effect.orDie,
        ),
      find: (idOrSid) =>
        sql`SELECT ${columns} FROM calls WHERE id = ${idOrSid} OR call_sid = ${idOrSid} LIMIT 1`.pipe(
          Effect.flatMap(decodeFirst),
          Effect.orDie,
        ),
      findByToken: (token) =>
        sql`SELECT ${columns} FROM calls WHERE callback_token = ${token}`.pipe(
          Effect.flatMap(decodeFirst),
          Effect.orDie,
        ),
      // One statement: the event is recorded and the call changed together, or neither (a repeat).
      recordStatus: (call, callSid, status, details) => {
        const terminal: ReadonlyArray<string> = terminalCallStatuses
        const isTerminal = terminal.includes(status)
        return sql`
          WITH event AS (
            INSERT INTO upstream_status_events (resource, sid, status, payload)
            VALUES ('call', ${callSid}, ${status}, ${JSON.stringify(details.payload)}::jsonb)
            ON CONFLICT DO NOTHING RETURNING sid
          ), changed AS (
            UPDATE calls SET call_sid = COALESCE(call_sid, ${callSid}),
              status = CASE WHEN ${isTerminal} OR status NOT IN ${sql.in(terminal)} THEN ${status} ELSE status END,
              recording_url = COALESCE(${details.recordingUrl}, recording_url),
              duration_seconds = COALESCE(${details.durationSeconds}, duration_seconds),
              ended_at = CASE WHEN ${isTerminal} THEN NOW() ELSE ended_at END,
              updated_at = NOW()
            WHERE id = ${call.id} AND EXISTS (SELECT 1 FROM event)
            RETURNING id, call_sid, status, from_number, to_number, custom_field, recording_url, duration_seconds,
              client_callback
          ), forwarded AS (
            -- The client's own statusCallback hears each status the call takes, through the outbox.
            INSERT INTO webhook_outbox (event_id, url, event_type, payload)
            SELECT 'call-' || id || '-' || status, client_callback, 'CALL_STATUS',
              jsonb_build_object('type', 'CALL_STATUS', 'callId', id, 'callSid', call_sid, 'status', status,
                'from', from_number, 'to', to_number, 'customField', custom_field, 'recordingUrl', recording_url,
                'durationSeconds', duration_seconds, 'at', NOW())
            FROM changed WHERE client_callback IS NOT NULL AND status = ${status}
            ON CONFLICT DO NOTHING
          )
          SELECT id FROM event, changed`.pipe(
          Effect.map((rows) => rows.length > 0),
          Effect.orDie,
        )
      },
      list: (filters, page, limit) =>
        Effect.gen(function* () {
          const condition = where(filters)
          const rows = yield* sql`SELECT ${columns} FROM calls WHERE ${condition}
            ORDER BY created_at DESC, id DESC LIMIT ${limit} OFFSET ${(page - 1) * limit}`
          const counted = yield* sql`SELECT COUNT(*)::text AS total FROM calls WHERE ${condition}`
          const [count] = yield* Schema.decodeUnknown(Count)(counted)
          return { calls: yield* decodeAll(rows), total: count?.total ?? 0 }
        }).pipe(Effect.orDie),
      openCalls: (withinHours, limit) =>
        sql`SELECT ${columns} FROM calls
            WHERE ended_at IS NULL AND call_sid IS NOT NULL AND status NOT IN ${sql.in(terminalCallStatuses)}
              AND created_at > NOW() - make_interval(hours => ${withinHours})
            ORDER BY created_at DESC LIMIT ${limit}`.pipe(Effect.flatMap(decodeAll), Effect.orDie),
    })
  }),
)
