// The whatsapp_messages table: each template message, written before Exotel is asked, and the delivery
// reports that follow it.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Schema } from "effect"
import { type WhatsAppReport, whatsAppStatuses } from "../domain/exotel/whatsAppStatus.js"

export interface NewWhatsAppMessage {
  readonly id: string
  readonly toNumber: string
  readonly templateName: string
  readonly languageCode: string
  readonly variables: Readonly<Record<string, string>>
  readonly callbackToken: string
  readonly clientCallback: string | null
}

export interface WhatsAppRepoShape {
  readonly insert: (message: NewWhatsAppMessage) => Effect.Effect<void>
  readonly setOutcome: (
    id: string,
    status: string,
    sid: string | null,
    error: string | null,
  ) => Effect.Effect<void>
  /** "unknown" when no message has this token and sid: the callback is refused. */
  readonly recordReport: (
    token: string,
    report: WhatsAppReport,
    payload: unknown,
  ) => Effect.Effect<"unknown" | "unchanged" | "changed">
}

export class WhatsAppRepo extends Context.Tag("WhatsAppRepo")<WhatsAppRepo, WhatsAppRepoShape>() {}

const Outcome = Schema.Array(
  Schema.Struct({ target: Schema.NullOr(Schema.String), changed: Schema.NullOr(Schema.String) }),
)

// The statuses in order, for SQL: a report only moves a message forward.
const rankSql = (column: string) =>
  `array_position(ARRAY[${whatsAppStatuses.map((s) => `'${s}'`).join(",")}]::text[], ${column}::text)`

export const WhatsAppRepoLive = Layer.effect(
  WhatsAppRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const currentRank = sql.literal(rankSql("status"))
    return WhatsAppRepo.of({
      insert: (m) =>
        sql`INSERT INTO whatsapp_messages (id, to_number, template_name, language_code, variables, status,
              callback_token, client_callback)
            VALUES (${m.id}, ${m.toNumber}, ${m.templateName}, ${m.languageCode},
              ${JSON.stringify(m.variables)}::jsonb, 'initiated', ${m.callbackToken}, ${m.clientCallback})`.pipe(
          Effect.asVoid,
          Effect.orDie,
        ),
      setOutcome: (id, status, sid, error) =>
        sql`UPDATE whatsapp_messages SET status = ${status}, sid = COALESCE(sid, ${sid}), error = ${error},
              updated_at = NOW()
            WHERE id = ${id} AND status = 'initiated'`.pipe(Effect.asVoid, Effect.orDie),
      // One statement, like the SMS report: the event row, the status and the forward together or not at all.
      recordReport: (token, report, payload) =>
        sql`
          WITH target AS (
            SELECT id FROM whatsapp_messages WHERE callback_token = ${token} AND sid = ${report.sid}
          ), event AS (
            INSERT INTO upstream_status_events (resource, sid, status, payload)
            SELECT 'whatsapp', ${report.sid}, ${report.status}, ${JSON.stringify(payload)}::jsonb FROM target
            ON CONFLICT DO NOTHING RETURNING sid
          ), changed AS (
            UPDATE whatsapp_messages SET status = ${report.status}, updated_at = NOW()
            WHERE id = (SELECT id FROM target) AND EXISTS (SELECT 1 FROM event)
              AND COALESCE(${currentRank}, 0) < ${whatsAppStatuses.indexOf(report.status) + 1}
            RETURNING id, sid, status, to_number, client_callback
          ), forwarded AS (
            -- The client's own statusCallback hears each status the message takes, through the outbox.
            INSERT INTO webhook_outbox (event_id, url, event_type, payload)
            SELECT 'wa-' || id || '-' || status, client_callback, 'WHATSAPP_STATUS',
              jsonb_build_object('type', 'WHATSAPP_STATUS', 'messageId', id, 'sid', sid, 'status', status,
                'to', to_number, 'at', NOW())
            FROM changed WHERE client_callback IS NOT NULL
            ON CONFLICT DO NOTHING
          )
          SELECT (SELECT id FROM target) AS target, (SELECT id FROM changed) AS changed`.pipe(
          Effect.flatMap(Schema.decodeUnknown(Outcome)),
          Effect.map(([row]) =>
            row?.target == null ? "unknown" : row.changed == null ? "unchanged" : "changed",
          ),
          Effect.orDie,
        ),
    })
  }),
)
