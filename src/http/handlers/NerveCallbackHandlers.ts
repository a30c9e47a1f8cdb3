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

/** The seed's callback events as flow events; `initiated` changes nothing. */
export const flowEventOf = (cb: NerveCallback): FlowEvent | null => {
  switch (cb.event) {
    case "initiated":
      return null
    case "ringing":
      return { _tag: "Ringing" }
    case "answered":
      return { _tag: "Answered" }
    case "accepted":
      return { _tag: "Reported", decision: "accepted", prepTimeMinutes: null, rejectionReason: null }
    case "rejected":
      return {
        _tag: "Reported",
        decision: "rejected",
        prepTimeMinutes: null,
        rejectionReason: reasonOf(cb.rejection_reason),
      }
    case "prep_time_set":
      return cb.prep_time === null || cb.prep_time === undefined
        ? null
        : { _tag: "Reported", decision: "accepted", prepTimeMinutes: cb.prep_time, rejectionReason: null }
    case "completed":
      return { _tag: "Hangup", outcome: "completed" }
    case "failed":
      return { _tag: "Hangup", outcome: "failed" }
    case "busy":
      return { _tag: "Hangup", outcome: "busy" }
    case "no_response":
      return { _tag: "Hangup", outcome: "no_answer" }
  }
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
            const event = flowEventOf(cb)
            const dedupKey = dedupKeyOf("nerve", raw)
            if (cb.recording_url !== null && cb.recording_url !== undefined && cb.recording_url.length > 0) {
              yield* repo.setRecordingUrl(cb.call_id, cb.recording_url)
            }
            if (event === null) {
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
            const applied = yield* calls.apply(cb.call_id, {
              event,
              source: "nerve",
              detail: cb,
              dedupKey,
              recordingUrl: cb.recording_url ?? null,
            })
            return { received: true as const, applied }
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
