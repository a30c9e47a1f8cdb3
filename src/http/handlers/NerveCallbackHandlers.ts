// Inbound callbacks for voice calls. Nerve's are authenticated by an HMAC of the raw body; Exotel's (which
// cannot sign) must name a call we placed and its CallSid. Both are idempotent: the key of a delivery is
// recorded with its event, and a repeat changes nothing.
import { createHmac, timingSafeEqual } from "node:crypto"
import { HttpApiBuilder, HttpServerRequest } from "@effect/platform"
import { Effect, Option, Redacted, Schema } from "effect"
import type { FlowEvent } from "../../actors/callFlow.js"
import { dedupKeyOf, exotelOutcome, exotelTerminalKey } from "../../actors/exotelOutcome.js"
import { VoiceCalls } from "../../actors/VoiceCalls.js"
import { VoiceConfig } from "../../config/VoiceConfig.js"
import { NotFound, Unauthorized } from "../../domain/errors.js"
import { CallStatus, RejectionReason } from "../../domain/VoiceCall.js"
import { VoiceCallsRepo } from "../../store/VoiceCallsRepo.js"
import { signatureHeader } from "../api/NerveApi.js"
import { GatewayApi } from "../GatewayApi.js"

/** The seed's callback body. */
export const NerveCallback = Schema.Struct({
  call_id: Schema.String,
  call_sid: Schema.optional(Schema.NullOr(Schema.String)),
  event: CallStatus,
  status: Schema.optional(Schema.NullOr(Schema.String)),
  dtmf_digits: Schema.optional(Schema.NullOr(Schema.String)),
  prep_time: Schema.optional(Schema.NullOr(Schema.Number)),
  rejection_reason: Schema.optional(Schema.NullOr(Schema.String)),
  recording_url: Schema.optional(Schema.NullOr(Schema.String)),
})
export type NerveCallback = typeof NerveCallback.Type

const decodeCallback = Schema.decodeUnknownEither(Schema.parseJson(NerveCallback))
const isReason = Schema.is(RejectionReason)

export const sign = (secret: string, body: string) =>
  `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`

const sameSignature = (a: string, b: string) => {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

const reasonOf = (text: string | null | undefined) =>
  text === null || text === undefined ? null : isReason(text) ? text : "other"

const lifecycle: Readonly<Record<CallStatus, FlowEvent | null>> = {
  initiated: null,
  ringing: { _tag: "Ringing" },
  answered: { _tag: "Answered" },
  accepted: null,
  rejected: null,
  prep_time_set: null,
  completed: { _tag: "Hangup", outcome: "completed" },
  failed: { _tag: "Hangup", outcome: "failed" },
  busy: { _tag: "Hangup", outcome: "busy" },
  no_response: { _tag: "Hangup", outcome: "no_answer" },
}

const isDecision = (s: string | null | undefined): s is "accepted" | "rejected" | "prep_time_set" =>
  s === "accepted" || s === "rejected" || s === "prep_time_set"

/** What the callback says was decided, from its event or else its status (the seed's example: answered/accepted). */
const reportOf = (cb: NerveCallback): FlowEvent | null => {
  const said = isDecision(cb.event) ? cb.event : isDecision(cb.status) ? cb.status : null
  const prepTime = cb.prep_time ?? null
  if (said === "rejected") {
    return {
      _tag: "Reported",
      decision: "rejected",
      prepTimeMinutes: null,
      rejectionReason: reasonOf(cb.rejection_reason),
    }
  }
  if (said === null && prepTime === null) return null
  // prep_time_set with no prep time reads as the acceptance it implies.
  return { _tag: "Reported", decision: "accepted", prepTimeMinutes: prepTime, rejectionReason: null }
}

/**
 * The seed's callback as flow events, in the order they happened: the line's progress (ringing, answered), then
 * the decision it carries, then the hang-up. One callback may carry all three, as the seed's example does
 * (`event: answered, status: accepted, prep_time: 30`); `initiated` alone changes nothing.
 */
export const flowEventsOf = (cb: NerveCallback): ReadonlyArray<FlowEvent> => {
  const line = lifecycle[cb.event]
  const report = reportOf(cb)
  const before = line !== null && line._tag !== "Hangup" ? [line] : []
  const after = line !== null && line._tag === "Hangup" ? [line] : []
  return [...before, ...(report === null ? [] : [report]), ...after]
}

export const NerveCallbackHandlersLive = HttpApiBuilder.group(GatewayApi, "nerveCallbacks", (handlers) =>
  Effect.gen(function* () {
    const calls = yield* VoiceCalls
    const repo = yield* VoiceCallsRepo
    const config = yield* VoiceConfig
    return (
      handlers
        .handle("callback", () =>
          Effect.gen(function* () {
            const request = yield* HttpServerRequest.HttpServerRequest
            const raw = yield* request.text.pipe(Effect.orElseSucceed(() => ""))
            if (Option.isNone(config.callbackSecret)) {
              return yield* new Unauthorized({
                message: "Callbacks are refused: NERVE_CALLBACK_SECRET is not configured",
              })
            }
            const given = request.headers[signatureHeader] ?? ""
            if (!sameSignature(given, sign(Redacted.value(config.callbackSecret.value), raw))) {
              return yield* new Unauthorized({
                message: `Missing or wrong ${signatureHeader}: expected sha256=<HMAC-SHA256 hex of the body>`,
              })
            }
            const decoded = decodeCallback(raw)
            if (decoded._tag === "Left") {
              return yield* new Unauthorized({
                message: `Signed, but not a callback body: ${decoded.left.message.split("\n")[0]}`,
              })
            }
            const cb = decoded.right
            const stored = yield* repo.find(cb.call_id)
            if (Option.isNone(stored)) return yield* new NotFound({ message: `No voice call ${cb.call_id}` })
            const events = flowEventsOf(cb)
            const dedupKey = dedupKeyOf("nerve", raw)
            if (cb.recording_url !== null && cb.recording_url !== undefined && cb.recording_url.length > 0) {
              yield* repo.setRecordingUrl(cb.call_id, cb.recording_url)
            }
            if (events.length === 0) {
              yield* repo.log(cb.call_id, stored.value.record.status, {
                event: `callback:${cb.event}`,
                source: "nerve",
                detail: cb,
                applied: false,
                dedupKey,
              })
              return { received: true as const, applied: false }
            }
            if (cb.call_sid !== null && cb.call_sid !== undefined && stored.value.record.callSid === null) {
              yield* repo.setCallSid(cb.call_id, cb.call_sid)
            }
            // One key per event of the delivery: a repeat, or a redelivery after a crash between them, applies
            // only what was not applied yet.
            const applied = yield* Effect.forEach(events, (event, i) =>
              calls.apply(cb.call_id, {
                event,
                source: "nerve",
                detail: cb,
                dedupKey: i === 0 ? dedupKey : `${dedupKey}:${i}`,
                recordingUrl: cb.recording_url ?? null,
              }),
            )
            return { received: true as const, applied: applied.some(Boolean) }
          }),
        )
        // Decoded by the endpoint's schema from a form, multipart or JSON body, as Exotel may send any of them.
        .handle("exotelStatus", ({ payload: status }) =>
          Effect.gen(function* () {
            const byField =
              status.CustomField === undefined || status.CustomField === null
                ? Option.none()
                : yield* repo.find(status.CustomField)
            const stored = Option.isSome(byField) ? byField : yield* repo.findByCallSid(status.CallSid)
            if (
              Option.isNone(stored) ||
              (stored.value.record.callSid !== null && stored.value.record.callSid !== status.CallSid)
            ) {
              return yield* new NotFound({ message: `No voice call placed as ${status.CallSid}` })
            }
            const callId = stored.value.record.id
            const event = exotelOutcome[status.Status.toLowerCase()]
            // A terminal status has one key however it arrives, so the reconciler and a late callback agree.
            const dedupKey =
              event === undefined
                ? dedupKeyOf("exotel", `${status.CallSid}|${status.Status}|${status.EventType ?? ""}`)
                : exotelTerminalKey(status.CallSid, status.Status)
            if (event === undefined) {
              yield* repo.log(callId, stored.value.record.status, {
                event: `exotel:${status.Status}`,
                source: "exotel",
                detail: status,
                applied: false,
                dedupKey,
              })
              return { received: true as const, applied: false }
            }
            const applied = yield* calls.apply(callId, {
              event,
              source: "exotel",
              detail: status,
              dedupKey,
              recordingUrl: status.RecordingUrl ?? null,
            })
            return { received: true as const, applied }
          }),
        )
    )
  }),
)
