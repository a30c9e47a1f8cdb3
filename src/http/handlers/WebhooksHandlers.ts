// Exotel's status callbacks: the token in the URL must belong to the call or message named, and each status
// is recorded once.
import { HttpApiBuilder } from "@effect/platform"
import { Effect, Option } from "effect"
import { CallStatusChanges, statusChangeOf } from "../../actors/CallStatusChanges.js"
import { WebhookOutbox } from "../../actors/WebhookOutbox.js"
import { Forbidden } from "../../domain/errors.js"
import { reportsOf } from "../../domain/exotel/whatsAppStatus.js"
import { CallsRepo } from "../../store/CallsRepo.js"
import { SmsRepo } from "../../store/SmsRepo.js"
import { WhatsAppRepo } from "../../store/WhatsAppRepo.js"
import { GatewayApi } from "../GatewayApi.js"

const refused = new Forbidden({ message: "The callback token does not match any call or message" })

const numberOrNull = (value: string | number | null | undefined): number | null => {
  if (value === null || value === undefined || value === "") return null
  const n = Number(value)
  return Number.isFinite(n) ? n : null
}

export const WebhooksHandlersLive = HttpApiBuilder.group(GatewayApi, "webhooks", (handlers) =>
  Effect.gen(function* () {
    const calls = yield* CallsRepo
    const sms = yield* SmsRepo
    const statusChanges = yield* CallStatusChanges
    const outbox = yield* WebhookOutbox
    const whatsApp = yield* WhatsAppRepo
    return handlers
      .handle("callStatus", ({ urlParams, payload }) =>
        Effect.gen(function* () {
          const found = yield* calls.findByToken(urlParams.token)
          if (Option.isNone(found)) return yield* refused
          const call = found.value
          if (call.callSid !== null && call.callSid !== payload.CallSid) return yield* refused
          const durationSeconds = numberOrNull(payload.ConversationDuration)
          const changed = yield* calls.recordStatus(call, payload.CallSid, payload.Status, {
            recordingUrl:
              payload.RecordingUrl === undefined || payload.RecordingUrl === "" ? null : payload.RecordingUrl,
            durationSeconds,
            payload,
          })
          if (changed) {
            yield* statusChanges.publish(
              statusChangeOf(call, payload.CallSid, payload.Status, durationSeconds),
            )
          }
          return { received: true, changed }
        }),
      )
      .handle("smsStatus", ({ urlParams, payload }) =>
        Effect.gen(function* () {
          const outcome = yield* sms.recordCallback({
            token: urlParams.token,
            smsSid: payload.SmsSid,
            to: payload.To ?? undefined,
            status: payload.Status,
            detailedStatus: payload.DetailedStatus ?? null,
            payload,
          })
          if (outcome === "unknown") return yield* refused
          const changed = outcome === "changed"
          if (changed) yield* outbox.wake
          return { received: true, changed }
        }),
      )
      .handle("whatsAppStatus", ({ urlParams, payload }) =>
        Effect.gen(function* () {
          const reports = reportsOf(payload)
          const outcomes = yield* Effect.forEach(reports, (report) =>
            whatsApp.recordReport(urlParams.token, report, payload),
          )
          // A report for a message this token does not belong to is refused, as for calls and SMS.
          if (outcomes.length === 0 || outcomes.includes("unknown")) return yield* refused
          const changed = outcomes.includes("changed")
          if (changed) yield* outbox.wake
          return { received: true, changed }
        }),
      )
  }),
)
