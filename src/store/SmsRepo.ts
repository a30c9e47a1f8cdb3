// The sms_messages table: each SMS (a bulk send is one row per recipient) with its encoding and segment
// count, written before Exotel is asked and updated from its answer and status callbacks.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Schema } from "effect"

export interface NewSms {
  readonly id: string
  readonly bulkId: string | null
  readonly toNumber: string
  readonly sender: string | null
  readonly body: string
  readonly smsType: string
  readonly encoding: string
  readonly segments: number
  readonly dltEntityId: string
  readonly dltTemplateId: string
  readonly templateId: string | null
  readonly priority: string
  readonly customField: string | null
  readonly clientCallback: string | null
  readonly callbackToken: string
}

export interface SmsRepoShape {
  readonly insertAll: (messages: ReadonlyArray<NewSms>) => Effect.Effect<void>
  readonly accepted: (
    id: string,
    smsSid: string,
    status: string,
    detailedStatus: string | null,
  ) => Effect.Effect<void>
  readonly failed: (ids: ReadonlyArray<string>, error: string) => Effect.Effect<void>
  /**
   * Records a delivery report in one statement: finds the message the callback names (by sid, or — when the
   * callback outran the answer — by recipient) among those carrying `token`, records the status once, and
   * changes the message. "unknown" when no message with that token matches.
   */
  readonly recordCallback: (report: {
    readonly token: string
    readonly smsSid: string
    readonly to: string | undefined
    readonly status: string
    readonly detailedStatus: string | null
    readonly payload: unknown
  }) => Effect.Effect<"unknown" | "unchanged" | "changed">
}

export class SmsRepo extends Context.Tag("SmsRepo")<SmsRepo, SmsRepoShape>() {}

const CallbackOutcome = Schema.Array(
  Schema.Struct({ target: Schema.NullOr(Schema.String), changed: Schema.NullOr(Schema.String) }),
)

/** Statuses after which an SMS changes no more (Exotel spells DND failure both ways). */
const terminalSms = ["sent", "failed", "failed_dnd", "failed-dnd"]

export const SmsRepoLive = Layer.effect(
  SmsRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return SmsRepo.of({
      // One multi-row INSERT: a bulk of 100 is one round trip.
      insertAll: (messages) =>
        messages.length === 0
          ? Effect.void
          : sql`INSERT INTO sms_messages ${sql.insert(
              messages.map((m) => ({ ...m, status: "initiated" })),
            )}`.pipe(Effect.asVoid, Effect.orDie),
      accepted: (id, smsSid, status, detailedStatus) =>
        sql`UPDATE sms_messages SET sms_sid = COALESCE(sms_sid, ${smsSid}),
              status = CASE WHEN status = 'initiated' THEN ${status} ELSE status END,
              detailed_status = COALESCE(detailed_status, ${detailedStatus}), updated_at = NOW()
            WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie),
      failed: (ids, error) =>
        ids.length === 0
          ? Effect.void
          : sql`UPDATE sms_messages SET status = 'failed', error = ${error}, updated_at = NOW()
                WHERE id IN ${sql.in(ids)}`.pipe(Effect.asVoid, Effect.orDie),
      // One statement, not a lookup and a transaction: on the embedded database every round trip is paid for
      // by every other request, and a delivery report arrives for each message sent.
      recordCallback: (r) =>
        sql`
          WITH target AS (
            SELECT id FROM sms_messages
            WHERE callback_token = ${r.token}
              AND (sms_sid = ${r.smsSid} OR (sms_sid IS NULL AND to_number = ${r.to ?? ""}))
            ORDER BY sms_sid NULLS LAST LIMIT 1
          ), event AS (
            INSERT INTO upstream_status_events (resource, sid, status, payload)
            SELECT 'sms', ${r.smsSid}, ${r.status}, ${JSON.stringify(r.payload)}::jsonb FROM target
            ON CONFLICT DO NOTHING RETURNING sid
          ), changed AS (
            UPDATE sms_messages SET sms_sid = COALESCE(sms_sid, ${r.smsSid}),
              status = CASE WHEN ${terminalSms.includes(r.status)} OR status NOT IN ${sql.in(terminalSms)}
                THEN ${r.status} ELSE status END,
              detailed_status = COALESCE(${r.detailedStatus}, detailed_status), updated_at = NOW()
            WHERE id = (SELECT id FROM target) AND EXISTS (SELECT 1 FROM event)
            RETURNING id, sms_sid, status, detailed_status, to_number, custom_field, client_callback
          ), forwarded AS (
            -- The client's own statusCallback hears each status the message takes, through the outbox.
            INSERT INTO webhook_outbox (event_id, url, event_type, payload)
            SELECT 'sms-' || id || '-' || status, client_callback, 'SMS_STATUS',
              jsonb_build_object('type', 'SMS_STATUS', 'messageId', id, 'smsSid', sms_sid, 'status', status,
                'detailedStatus', detailed_status, 'to', to_number, 'customField', custom_field, 'at', NOW())
            FROM changed WHERE client_callback IS NOT NULL AND status = ${r.status}
            ON CONFLICT DO NOTHING
          )
          SELECT (SELECT id FROM target) AS target, (SELECT id FROM changed) AS changed`.pipe(
          Effect.flatMap(Schema.decodeUnknown(CallbackOutcome)),
          Effect.map(([row]) =>
            row?.target == null ? "unknown" : row.changed == null ? "unchanged" : "changed",
          ),
          Effect.orDie,
        ),
    })
  }),
)
