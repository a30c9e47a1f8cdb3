// The voice_orders rows and their action log. A save is one statement: the row (inserted, or updated only
// if nobody else moved its version), the log line and the outbox rows of its event, all or nothing.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option, Schema } from "effect"
import { type OrderEvent, OrderItem, VoiceOrderStatus } from "../domain/VoiceOrder.js"
import type { OrderLogEntry, OrderSession } from "../policy/voiceOrder.js"

export interface OrderLogRow {
  readonly action: string
  readonly channel: string
  readonly callSid: string | null
  readonly statusAfter: string
  readonly totalAfter: number
  readonly versionAfter: number
  readonly detail: unknown
}

export interface VoiceOrdersRepoShape {
  readonly find: (sessionId: string) => Effect.Effect<Option.Option<OrderSession>>
  /**
   * Writes the session as the state machine left it. False when the row moved on since `expectedVersion`
   * (0 for a new session): another writer won, and nothing was written.
   */
  readonly save: (
    session: OrderSession,
    expectedVersion: number,
    entry: OrderLogEntry,
    events: ReadonlyArray<OrderEvent>,
  ) => Effect.Effect<boolean>
  readonly log: (sessionId: string) => Effect.Effect<ReadonlyArray<OrderLogRow>>
}

export class VoiceOrdersRepo extends Context.Tag("VoiceOrdersRepo")<
  VoiceOrdersRepo,
  VoiceOrdersRepoShape
>() {}

const Row = Schema.Struct({
  sessionId: Schema.String,
  phone: Schema.String,
  status: VoiceOrderStatus,
  items: Schema.Union(Schema.Array(OrderItem), Schema.parseJson(Schema.Array(OrderItem))),
  total: Schema.Union(Schema.Number, Schema.NumberFromString),
  version: Schema.Number,
  callSid: Schema.NullOr(Schema.String),
})
const decodeRow = Schema.decodeUnknown(Row)

const LogRow = Schema.Struct({
  action: Schema.String,
  channel: Schema.String,
  callSid: Schema.NullOr(Schema.String),
  statusAfter: Schema.String,
  totalAfter: Schema.Union(Schema.Number, Schema.NumberFromString),
  versionAfter: Schema.Number,
  detail: Schema.Unknown,
})
const decodeLog = Schema.decodeUnknown(Schema.Array(LogRow))

export const voiceOrdersRepoLayer = (webhookUrls: ReadonlyArray<string>) =>
  Layer.effect(
    VoiceOrdersRepo,
    Effect.map(SqlClient.SqlClient, (sql) =>
      VoiceOrdersRepo.of({
        find: (sessionId) =>
          sql`SELECT session_id, phone, status, items, total, version, call_sid
              FROM voice_orders WHERE session_id = ${sessionId}`.pipe(
            Effect.flatMap((rows) =>
              rows[0] === undefined
                ? Effect.succeed(Option.none())
                : Effect.map(decodeRow(rows[0]), Option.some),
            ),
            Effect.orDie,
          ),
        save: (session, expectedVersion, entry, events) => {
          const outbox = events.flatMap((event) =>
            webhookUrls.map((url) => ({
              event_id: event.eventId,
              url,
              event_type: event.type,
              payload: event,
            })),
          )
          const items = JSON.stringify(session.items)
          return sql<{ saved: boolean }>`
            WITH written AS (
              INSERT INTO voice_orders (session_id, phone, status, items, total, version, call_sid)
              VALUES (${session.sessionId}, ${session.phone}, ${session.status}, ${items}::jsonb, ${session.total},
                      ${session.version}, ${session.callSid})
              ON CONFLICT (session_id) DO UPDATE SET
                status = EXCLUDED.status,
                items = EXCLUDED.items,
                total = EXCLUDED.total,
                version = EXCLUDED.version,
                call_sid = COALESCE(EXCLUDED.call_sid, voice_orders.call_sid),
                updated_at = NOW(),
                placed_at = CASE WHEN EXCLUDED.status = 'placed' THEN NOW() ELSE voice_orders.placed_at END,
                cancelled_at = CASE WHEN EXCLUDED.status = 'cancelled' THEN NOW() ELSE voice_orders.cancelled_at END
              WHERE voice_orders.version = ${expectedVersion}
              RETURNING session_id
            ), logged AS (
              INSERT INTO voice_order_events
                (session_id, action, channel, call_sid, status_after, total_after, version_after, detail)
              SELECT ${session.sessionId}, ${entry.action}, ${entry.channel}, ${entry.callSid}, ${session.status},
                     ${session.total}, ${session.version}, ${JSON.stringify(entry.detail ?? null)}::jsonb
              FROM written
            ), queued AS (
              INSERT INTO webhook_outbox (event_id, url, event_type, payload)
              SELECT o->>'event_id', o->>'url', o->>'event_type', o->'payload'
              FROM jsonb_array_elements(${JSON.stringify(outbox)}::jsonb) AS o
              WHERE EXISTS (SELECT 1 FROM written)
              ON CONFLICT DO NOTHING
            )
            SELECT EXISTS (SELECT 1 FROM written) AS saved`.pipe(
            Effect.map((rows) => rows[0]?.saved === true),
            Effect.orDie,
          )
        },
        log: (sessionId) =>
          sql`SELECT action, channel, call_sid, status_after, total_after, version_after, detail
              FROM voice_order_events WHERE session_id = ${sessionId} ORDER BY id`.pipe(
            Effect.flatMap(decodeLog),
            Effect.orDie,
          ),
      }),
    ),
  )
