// SMS under India's DLT rules and WhatsApp template messages, as a service: checked against the DLT and
// timing rules, stored before Exotel is asked, idempotent under a key, followed through delivery reports.
// The HTTP endpoints and a backend embedding the gateway both call it.
import { SqlClient } from "@effect/sql"
import { Clock, Context, Effect, Layer, Option, type Schema } from "effect"
import { BulkSmsRequest, BulkSmsResult, SendSmsRequest, SmsAccepted } from "../api/sms.js"
import { WhatsAppAccepted, WhatsAppRequest } from "../api/whatsapp.js"
import { CallbackUrls, newCallbackToken, newId } from "../config/callbackUrls.js"
import { Settings } from "../config/Settings.js"
import {
  BadRequest,
  type Conflict,
  type ServiceUnavailable,
  Unprocessable,
  type UpstreamRejected,
} from "../domain/errors.js"
import { decodeInput } from "../domain/invalidInput.js"
import { type SmsType, smsRefusal } from "../policy/sms/dlt.js"
import { exotelEncodingType, segmentSms } from "../policy/sms/encoding.js"
import { IdempotencyRepo } from "../store/IdempotencyRepo.js"
import { SmsRepo } from "../store/SmsRepo.js"
import { WhatsAppRepo } from "../store/WhatsAppRepo.js"
import { ExotelClient } from "../upstream/exotel/ExotelClient.js"
import { asBulkWork } from "../upstream/exotel/RateBudget.js"
import { idempotent } from "./idempotent.js"
import { failWith } from "./upstreamFailures.js"

export type MessageFailure = BadRequest | Unprocessable | UpstreamRejected | ServiceUnavailable | Conflict

export interface MessageOptions {
  /** The same key twice gets the first answer, and Exotel is asked once. */
  readonly idempotencyKey?: string | undefined
}

/** The messages, on input already decoded (the HTTP layer decodes it itself). */
export const makeMessagingCore = Effect.gen(function* () {
  const settings = yield* Settings
  const sms = yield* SmsRepo
  const exotel = yield* ExotelClient
  const urls = yield* CallbackUrls
  const sql = yield* SqlClient.SqlClient
  const whatsApp = yield* WhatsAppRepo
  const keys = yield* IdempotencyRepo

  /** The DLT ids to send with, or the 400/422 that refuses the SMS. */
  const admit = (smsType: SmsType, dltEntityId: string | undefined, dltTemplateId: string | undefined) =>
    Effect.gen(function* () {
      const current = yield* settings.current
      const entity = dltEntityId ?? Option.getOrUndefined(current.exotel.dltEntityId)
      const now = yield* Clock.currentTimeMillis
      const refusal = smsRefusal(now, smsType, { dltEntityId: entity, dltTemplateId }, current.timing)
      if (refusal?._tag === "MissingDltField") {
        return yield* new BadRequest({ message: refusal.message, field: refusal.field })
      }
      if (refusal?._tag === "OutsidePromoWindow") {
        return yield* new Unprocessable({
          message: refusal.message,
          field: "smsType",
          nextAvailableTime:
            refusal.nextAvailableTime === null ? null : new Date(refusal.nextAvailableTime).toISOString(),
        })
      }
      // Both are present once there is no refusal; the checks above narrowed nothing for the compiler.
      return { dltEntityId: entity ?? "", dltTemplateId: dltTemplateId ?? "" }
    })

  /**
   * Exotel requires a sender (§2.5): the request's, else the configured DLT header (exotel-sms-sender-id), else
   * the default ExoPhone; with none of them the SMS is refused here, naming `from`, and nothing is sent.
   */
  const senderOf = (requested: string | undefined) =>
    Effect.gen(function* () {
      const account = (yield* settings.current).exotel
      const sender =
        requested ?? Option.getOrUndefined(Option.orElse(account.smsSenderId, () => account.defaultExoPhone))
      if (sender === undefined) {
        return yield* new BadRequest({
          message:
            "from: no sender given, and neither exotel-sms-sender-id nor exotel-default-exophone is configured",
          field: "from",
        })
      }
      return sender
    })

  const sendSms = (payload: typeof SendSmsRequest.Type, idempotencyKey?: string) =>
    Effect.gen(function* () {
      const dlt = yield* admit(payload.smsType, payload.dltEntityId, payload.dltTemplateId)
      const from = yield* senderOf(payload.from)
      const { encoding, segments } = segmentSms(payload.message)
      const id = newId("sms")
      const token = newCallbackToken()
      yield* sms.insertAll([
        {
          id,
          bulkId: null,
          toNumber: payload.to,
          sender: from,
          body: payload.message,
          smsType: payload.smsType,
          encoding,
          segments,
          ...dlt,
          templateId: payload.templateId ?? null,
          priority: payload.priority,
          customField: payload.customField ?? null,
          clientCallback: payload.statusCallback ?? null,
          callbackToken: token,
        },
      ])
      const send = exotel.sendSms({
        from,
        to: payload.to,
        body: payload.message,
        encodingType: exotelEncodingType(encoding),
        priority: payload.priority,
        smsType: payload.smsType,
        ...dlt,
        customField: payload.customField,
        statusCallback: urls.smsStatus(token),
      })
      // A promotional SMS can wait for the account's budget; a transactional one (an OTP, an order update) cannot.
      const message = yield* (payload.smsType === "promotional" ? asBulkWork(send) : send).pipe(
        Effect.catchAll(failWith((error) => sms.failed([id], error))),
      )
      yield* sms.accepted(id, message.Sid, message.Status, message.DetailedStatus)
      return { id, smsSid: message.Sid, status: message.Status, encoding, segments }
    }).pipe(idempotent("sms-send", idempotencyKey, SmsAccepted), Effect.provideService(IdempotencyRepo, keys))

  const sendBulkSms = (payload: typeof BulkSmsRequest.Type, idempotencyKey?: string) =>
    Effect.gen(function* () {
      const dlt = yield* admit(payload.smsType, payload.dltEntityId, payload.dltTemplateId)
      const from = yield* senderOf(payload.from)
      const { encoding, segments } = segmentSms(payload.message)
      const bulkId = newId("bulk")
      const token = newCallbackToken()
      const rows = payload.recipients.map((to) => ({
        id: newId("sms"),
        bulkId,
        toNumber: to,
        sender: from,
        body: payload.message,
        smsType: payload.smsType,
        encoding,
        segments,
        ...dlt,
        templateId: null,
        priority: payload.priority,
        customField: null,
        clientCallback: null,
        callbackToken: token,
      }))
      yield* sms.insertAll(rows)
      const answer = yield* asBulkWork(
        exotel.bulkSms({
          from,
          to: payload.recipients,
          body: payload.message,
          encodingType: exotelEncodingType(encoding),
          priority: payload.priority,
          smsType: payload.smsType,
          ...dlt,
          statusCallback: urls.smsStatus(token),
        }),
      ).pipe(
        Effect.catchAll(
          failWith((error) =>
            sms.failed(
              rows.map((r) => r.id),
              error,
            ),
          ),
        ),
      )
      interface RecipientResult {
        readonly to: string
        readonly smsSid: string | null
        readonly status: string
        readonly error: string | null
      }
      const results = yield* Effect.forEach(rows, (row, index): Effect.Effect<RecipientResult> => {
        const entry = answer.SMSMessages[index]
        if (entry !== undefined && !("RestException" in entry)) {
          const m = "SMSMessage" in entry ? entry.SMSMessage : entry
          return Effect.as(sms.accepted(row.id, m.Sid, m.Status, m.DetailedStatus), {
            to: row.toNumber,
            smsSid: m.Sid,
            status: m.Status,
            error: null,
          })
        }
        const error =
          entry === undefined ? "Exotel returned no result for this recipient" : entry.RestException.Message
        return Effect.as(sms.failed([row.id], error), {
          to: row.toNumber,
          smsSid: null,
          status: "failed",
          error,
        })
      }).pipe(sql.withTransaction, Effect.orDie)
      const success = results.filter((r) => r.error === null).length
      return {
        total: results.length,
        success,
        failed: results.length - success,
        bulkId,
        encoding,
        segments,
        results,
      }
    }).pipe(
      idempotent("sms-bulk", idempotencyKey, BulkSmsResult),
      Effect.provideService(IdempotencyRepo, keys),
    )

  const sendWhatsApp = (payload: typeof WhatsAppRequest.Type, idempotencyKey?: string) =>
    Effect.gen(function* () {
      const current = yield* settings.current
      // Exotel requires each message's `from` (§3.2): the WhatsApp business number, the default ExoPhone.
      if (Option.isNone(current.exotel.defaultExoPhone)) {
        return yield* new BadRequest({
          message: "from: no WhatsApp sender is configured (exotel-default-exophone)",
          field: "from",
        })
      }
      const from = current.exotel.defaultExoPhone.value
      const id = newId("wa")
      const token = newCallbackToken()
      yield* whatsApp.insert({
        id,
        toNumber: payload.to,
        templateName: payload.templateName,
        languageCode: payload.languageCode,
        variables: payload.variables,
        callbackToken: token,
        clientCallback: payload.statusCallback ?? null,
      })
      const setStatus = (status: string, sid: string | null, error: string | null) =>
        whatsApp.setOutcome(id, status, sid, error)
      const answer = yield* exotel
        .sendWhatsApp({
          from,
          to: payload.to,
          templateName: payload.templateName,
          languageCode: payload.languageCode,
          parameters: Object.values(payload.variables),
          customData: id,
          statusCallback: urls.whatsAppStatus(token),
        })
        .pipe(Effect.catchAll(failWith((error) => setStatus("failed", null, error))))
      const result = answer.response.whatsapp.messages[0]
      const sid = result?.data?.sid
      if (result === undefined || sid === undefined || result.code >= 300) {
        yield* setStatus("failed", null, result?.status ?? "no result")
        return yield* new Unprocessable({
          message: `Exotel did not accept the WhatsApp message (${result?.status ?? "no result"})`,
          field: "to",
        })
      }
      yield* setStatus("accepted", sid, null)
      return { id, sid, status: "accepted" }
    }).pipe(
      idempotent("whatsapp-send", idempotencyKey, WhatsAppAccepted),
      Effect.provideService(IdempotencyRepo, keys),
    )

  return { sendSms, sendBulkSms, sendWhatsApp }
})

export interface MessagingShape {
  /** One SMS; transactional and promotional SMS need the DLT entity and template ids. */
  readonly sendSms: (
    request: typeof SendSmsRequest.Encoded,
    options?: MessageOptions,
  ) => Effect.Effect<typeof SmsAccepted.Type, MessageFailure>
  /** One body to up to 100 recipients, with a result per recipient. */
  readonly sendBulkSms: (
    request: typeof BulkSmsRequest.Encoded,
    options?: MessageOptions,
  ) => Effect.Effect<typeof BulkSmsResult.Type, MessageFailure>
  /** A WhatsApp template message with its variables as body parameters. */
  readonly sendWhatsApp: (
    request: typeof WhatsAppRequest.Encoded,
    options?: MessageOptions,
  ) => Effect.Effect<typeof WhatsAppAccepted.Type, MessageFailure>
}

export class Messaging extends Context.Tag("Messaging")<Messaging, MessagingShape>() {}

const decoded =
  <A, I, B, E>(schema: Schema.Schema<A, I>, run: (a: A, key?: string) => Effect.Effect<B, E>) =>
  (request: I, options?: MessageOptions) =>
    Effect.flatMap(decodeInput(schema, request), (a) => run(a, options?.idempotencyKey))

export const MessagingLive = Layer.effect(
  Messaging,
  Effect.map(makeMessagingCore, (core) =>
    Messaging.of({
      sendSms: decoded(SendSmsRequest, core.sendSms),
      sendBulkSms: decoded(BulkSmsRequest, core.sendBulkSms),
      sendWhatsApp: decoded(WhatsAppRequest, core.sendWhatsApp),
    }),
  ),
)
