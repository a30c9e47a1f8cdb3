// SMS and WhatsApp: check the DLT and timing rules, store the message, ask Exotel, store its answer.
import { HttpApiBuilder } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Clock, Effect, Option } from "effect"
import { Settings } from "../../config/Settings.js"
import { BadRequest, Unprocessable } from "../../domain/errors.js"
import { type SmsType, smsRefusal } from "../../policy/sms/dlt.js"
import { exotelEncodingType, segmentSms } from "../../policy/sms/encoding.js"
import { SmsRepo } from "../../store/SmsRepo.js"
import { WhatsAppRepo } from "../../store/WhatsAppRepo.js"
import { ExotelClient } from "../../upstream/exotel/ExotelClient.js"
import { BulkSmsResult, SmsAccepted, WhatsAppAccepted } from "../api/MessagingApi.js"
import { CallbackUrls, newCallbackToken, newId } from "../callbackUrls.js"
import { GatewayApi } from "../GatewayApi.js"
import { idempotent } from "../idempotency.js"
import { failWith } from "../upstreamErrors.js"

export const MessagingHandlersLive = HttpApiBuilder.group(GatewayApi, "messaging", (handlers) =>
  Effect.gen(function* () {
    const settings = yield* Settings
    const sms = yield* SmsRepo
    const exotel = yield* ExotelClient
    const urls = yield* CallbackUrls
    const sql = yield* SqlClient.SqlClient
    const whatsApp = yield* WhatsAppRepo

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

    return handlers
      .handle("sendSms", ({ payload, headers }) =>
        Effect.gen(function* () {
          const dlt = yield* admit(payload.smsType, payload.dltEntityId, payload.dltTemplateId)
          const { encoding, segments } = segmentSms(payload.message)
          const id = newId("sms")
          const token = newCallbackToken()
          yield* sms.insertAll([
            {
              id,
              bulkId: null,
              toNumber: payload.to,
              sender: payload.from ?? null,
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
          const message = yield* exotel
            .sendSms({
              from: payload.from,
              to: payload.to,
              body: payload.message,
              encodingType: exotelEncodingType(encoding),
              priority: payload.priority,
              smsType: payload.smsType,
              ...dlt,
              customField: payload.customField,
              statusCallback: urls.smsStatus(token),
            })
            .pipe(Effect.catchAll(failWith((error) => sms.failed([id], error))))
          yield* sms.accepted(id, message.Sid, message.Status, message.DetailedStatus)
          return { id, smsSid: message.Sid, status: message.Status, encoding, segments }
        }).pipe(idempotent("sms-send", headers["idempotency-key"], SmsAccepted)),
      )
      .handle("bulkSms", ({ payload, headers }) =>
        Effect.gen(function* () {
          const dlt = yield* admit(payload.smsType, payload.dltEntityId, payload.dltTemplateId)
          const { encoding, segments } = segmentSms(payload.message)
          const bulkId = newId("bulk")
          const token = newCallbackToken()
          const rows = payload.recipients.map((to) => ({
            id: newId("sms"),
            bulkId,
            toNumber: to,
            sender: payload.from ?? null,
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
          const answer = yield* exotel
            .bulkSms({
              from: payload.from,
              to: payload.recipients,
              body: payload.message,
              encodingType: exotelEncodingType(encoding),
              priority: payload.priority,
              smsType: payload.smsType,
              ...dlt,
              statusCallback: urls.smsStatus(token),
            })
            .pipe(
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
            if (entry !== undefined && "SMSMessage" in entry) {
              const m = entry.SMSMessage
              return Effect.as(sms.accepted(row.id, m.Sid, m.Status, m.DetailedStatus), {
                to: row.toNumber,
                smsSid: m.Sid,
                status: m.Status,
                error: null,
              })
            }
            const error =
              entry === undefined
                ? "Exotel returned no result for this recipient"
                : entry.RestException.Message
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
        }).pipe(idempotent("sms-bulk", headers["idempotency-key"], BulkSmsResult)),
      )
      .handle("sendWhatsApp", ({ payload, headers }) =>
        Effect.gen(function* () {
          const current = yield* settings.current
          const from = Option.getOrElse(current.exotel.defaultExoPhone, () => "")
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
        }).pipe(idempotent("whatsapp-send", headers["idempotency-key"], WhatsAppAccepted)),
      )
  }),
)
