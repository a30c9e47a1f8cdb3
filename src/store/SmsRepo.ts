// The sms_messages table: each SMS (a bulk send is one row per recipient) with its encoding and segment
// count, written before Exotel is asked and updated from its answer and status callbacks.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option, Schema } from "effect"

export const SmsRecord = Schema.Struct({
  id: Schema.String,
  smsSid: Schema.NullOr(Schema.String),
  bulkId: Schema.NullOr(Schema.String),
  toNumber: Schema.String,
  smsType: Schema.String,
  encoding: Schema.String,
  segments: Schema.Number,
  callbackToken: Schema.String,
  status: Schema.String,
  detailedStatus: Schema.NullOr(Schema.String),
  error: Schema.NullOr(Schema.String),
  createdAt: Schema.DateFromSelf,
})
export type SmsRecord = typeof SmsRecord.Type

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
  /** The message a callback names: by its sid, or (before the answer was stored) by token and recipient. */
  readonly findForCallback: (
    token: string,
    smsSid: string,
    to: string | undefined,
  ) => Effect.Effect<Option.Option<SmsRecord>>
  readonly recordStatus: (
    sms: SmsRecord,
    smsSid: string,
    status: string,
    detailedStatus: string | null,
    payload: unknown,
  ) => Effect.Effect<boolean>
}

export class SmsRepo extends Context.Tag("SmsRepo")<SmsRepo, SmsRepoShape>() {}

const decodeAll = Schema.decodeUnknown(Schema.Array(SmsRecord))
const decodeFirst = (rows: ReadonlyArray<unknown>) =>
  Effect.map(decodeAll(rows), (r) => Option.fromNullable(r[0]))

/** Statuses after which an SMS changes no more (Exotel spells DND failure both ways). */
const terminalSms = ["sent", "failed", "failed_dnd", "failed-dnd"]

export const SmsRepoLive = Layer.effect(
  SmsRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const columns = sql`id, sms_sid, bulk_id, to_number, sms_type, encoding, segments, callback_token, status,
      detailed_status, error, created_at`
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
      findForCallback: (token, smsSid, to) =>
        Effect.gen(function* () {
          const bySid = yield* sql`SELECT ${columns} FROM sms_messages
            WHERE sms_sid = ${smsSid} AND callback_token = ${token}`.pipe(Effect.flatMap(decodeFirst))
          if (Option.isSome(bySid) || to === undefined) return bySid
          return yield* sql`SELECT ${columns} FROM sms_messages
            WHERE callback_token = ${token} AND to_number = ${to} AND sms_sid IS NULL LIMIT 1`.pipe(
            Effect.flatMap(decodeFirst),
          )
        }).pipe(Effect.orDie),
      // One statement, not a transaction of three: on the embedded database every round trip is paid for by
      // every other request, and a callback arrives for each message sent.
      recordStatus: (sms, smsSid, status, detailedStatus, payload) =>
        sql`
          WITH event AS (
            INSERT INTO upstream_status_events (resource, sid, status, payload)
            VALUES ('sms', ${smsSid}, ${status}, ${JSON.stringify(payload)}::jsonb)
            ON CONFLICT DO NOTHING RETURNING sid
          ), changed AS (
            UPDATE sms_messages SET sms_sid = COALESCE(sms_sid, ${smsSid}),
              status = CASE WHEN ${terminalSms.includes(status)} OR status NOT IN ${sql.in(terminalSms)}
                THEN ${status} ELSE status END,
              detailed_status = COALESCE(${detailedStatus}, detailed_status), updated_at = NOW()
            WHERE id = ${sms.id} AND EXISTS (SELECT 1 FROM event)
            RETURNING id
          )
          SELECT id FROM event, changed`.pipe(
          Effect.map((rows) => rows.length > 0),
          Effect.orDie,
        ),
    })
  }),
)
