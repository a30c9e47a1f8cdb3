// Calls through Exotel as a service: click-to-call and verified (branded) calls. Each is checked against the
// timing policy and the feature flags, stored before Exotel is asked, and idempotent under a key. The HTTP
// endpoints and a backend embedding the gateway both call it.
import { Clock, Context, Effect, Layer, Option } from "effect"
import {
  CallInitiated,
  ClickToCallRequest,
  VerifiedCallInitiated,
  VerifiedCallRequest,
} from "../api/calls.js"
import { CallbackUrls, newCallbackToken, newId } from "../config/callbackUrls.js"
import { Settings } from "../config/Settings.js"
import type { Conflict, ServiceUnavailable, UpstreamRejected } from "../domain/errors.js"
import { type BadRequest, Forbidden, Unprocessable } from "../domain/errors.js"
import { decodeInput } from "../domain/invalidInput.js"
import { callRefusal } from "../policy/callAdmission.js"
import { CallsRepo } from "../store/CallsRepo.js"
import { IdempotencyRepo } from "../store/IdempotencyRepo.js"
import { ExotelClient } from "../upstream/exotel/ExotelClient.js"
import { idempotent } from "./idempotent.js"
import { failWith } from "./upstreamFailures.js"

export type CallFailure = Forbidden | Unprocessable | UpstreamRejected | ServiceUnavailable | Conflict

export interface CallOptions {
  /** The same key twice gets the first answer, and Exotel is asked once. */
  readonly idempotencyKey?: string | undefined
}

/** The calls, on input already decoded (the HTTP layer decodes it itself). */
export const makeCallsCore = Effect.gen(function* () {
  const settings = yield* Settings
  const calls = yield* CallsRepo
  const exotel = yield* ExotelClient
  const urls = yield* CallbackUrls
  const keys = yield* IdempotencyRepo

  const refuseOutsideWindow = (purpose: Parameters<typeof callRefusal>[1]) =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const refusal = callRefusal(now, purpose, (yield* settings.current).timing)
      if (refusal !== undefined) {
        return yield* new Unprocessable({
          message: refusal.message,
          field: "purpose",
          nextAvailableTime:
            refusal.nextAvailableTime === null ? null : new Date(refusal.nextAvailableTime).toISOString(),
        })
      }
    })

  const exoPhone = (given: string | undefined, field: string) =>
    Effect.gen(function* () {
      const configured = (yield* settings.current).exotel.defaultExoPhone
      const callerId = given ?? Option.getOrUndefined(configured)
      if (callerId === undefined) {
        return yield* new Unprocessable({
          message: `${field}: no ExoPhone given and no default ExoPhone configured (exotel-default-exophone)`,
          field,
        })
      }
      return callerId
    })

  const clickToCall = (payload: typeof ClickToCallRequest.Type, idempotencyKey?: string) =>
    Effect.gen(function* () {
      yield* refuseOutsideWindow(payload.purpose)
      const callerId = yield* exoPhone(payload.callerId, "callerId")
      const id = newId("call")
      const token = newCallbackToken()
      yield* calls.insert({
        id,
        kind: "click_to_call",
        status: "initiated",
        fromNumber: payload.agentPhone,
        toNumber: payload.customerPhone,
        callerId,
        purpose: payload.purpose ?? null,
        reason: null,
        orderId: null,
        customField: payload.customField ?? null,
        record: payload.recordCall ?? false,
        timeLimit: payload.timeLimit ?? null,
        clientCallback: payload.statusCallback ?? null,
        callbackToken: token,
      })
      const call = yield* exotel
        .connectCall({
          from: payload.agentPhone,
          to: payload.customerPhone,
          callerId,
          timeLimit: payload.timeLimit,
          record: payload.recordCall,
          customField: payload.customField,
          statusCallback: urls.callStatus(token),
        })
        .pipe(Effect.catchAll(failWith((message) => calls.failed(id, message))))
      yield* calls.accepted(id, call.Sid, "initiated")
      return { callSid: call.Sid, status: "initiated" }
    }).pipe(
      idempotent("click-to-call", idempotencyKey, CallInitiated),
      Effect.provideService(IdempotencyRepo, keys),
    )

  const verifiedCall = (payload: typeof VerifiedCallRequest.Type, idempotencyKey?: string) =>
    Effect.gen(function* () {
      const current = yield* settings.current
      if (!current.features.verifiedCallsEnabled) {
        return yield* new Forbidden({ message: "The verifiedCallsEnabled feature is switched off" })
      }
      yield* refuseOutsideWindow(payload.purpose)
      const callerId = yield* exoPhone(undefined, "verifiedExoPhone")
      const id = newId("call")
      const token = newCallbackToken()
      const customField = [payload.reason, payload.orderId]
        .filter((s) => s !== undefined)
        .join("|")
        .slice(0, 128)
      yield* calls.insert({
        id,
        kind: "verified",
        status: "initiated",
        fromNumber: payload.phone,
        toNumber: null,
        callerId,
        purpose: payload.purpose ?? null,
        reason: payload.reason,
        orderId: payload.orderId ?? null,
        customField,
        record: false,
        timeLimit: null,
        clientCallback: null,
        callbackToken: token,
      })
      const call = yield* exotel
        .connectCall({
          from: payload.phone,
          callerId,
          streamUrl: urls.voiceStream({ _tag: "Call", id }),
          streamType: "bidirectional",
          customField,
          statusCallback: urls.callStatus(token),
        })
        .pipe(Effect.catchAll(failWith((message) => calls.failed(id, message))))
      yield* calls.accepted(id, call.Sid, "initiated")
      return {
        callSid: call.Sid,
        status: "initiated",
        verifiedExoPhone: callerId,
        reason: payload.reason,
      }
    }).pipe(
      idempotent("verified-calls", idempotencyKey, VerifiedCallInitiated),
      Effect.provideService(IdempotencyRepo, keys),
    )

  return { clickToCall, verifiedCall }
})

export interface CallsShape {
  /** Connects the agent, then the customer, from an ExoPhone; the statusCallback hears every status. */
  readonly clickToCall: (
    request: typeof ClickToCallRequest.Encoded,
    options?: CallOptions,
  ) => Effect.Effect<typeof CallInitiated.Type, BadRequest | CallFailure>
  /** A Truecaller-verified branded call from the verified ExoPhone, with its reason on the caller's screen. */
  readonly verifiedCall: (
    request: typeof VerifiedCallRequest.Encoded,
    options?: CallOptions,
  ) => Effect.Effect<typeof VerifiedCallInitiated.Type, BadRequest | CallFailure>
}

export class Calls extends Context.Tag("Calls")<Calls, CallsShape>() {}

export const CallsLive = Layer.effect(
  Calls,
  Effect.map(makeCallsCore, (core) =>
    Calls.of({
      clickToCall: (request, options) =>
        Effect.flatMap(decodeInput(ClickToCallRequest, request), (r) =>
          core.clickToCall(r, options?.idempotencyKey),
        ),
      verifiedCall: (request, options) =>
        Effect.flatMap(decodeInput(VerifiedCallRequest, request), (r) =>
          core.verifiedCall(r, options?.idempotencyKey),
        ),
    }),
  ),
)
