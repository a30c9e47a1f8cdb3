// Calls: store the call, ask Exotel, store its answer; the call log reads the same table.
import { HttpApiBuilder } from "@effect/platform"
import { Clock, Effect, Option } from "effect"
import { CallStatusChanges, statusChangeOf } from "../../actors/CallStatusChanges.js"
import { Settings } from "../../config/Settings.js"
import { Forbidden, NotFound, Unprocessable } from "../../domain/errors.js"
import { callRefusal } from "../../policy/callAdmission.js"
import { type CallRecord, CallsRepo, terminalCallStatuses } from "../../store/CallsRepo.js"
import { ExotelClient } from "../../upstream/exotel/ExotelClient.js"
import { CallInitiated, VerifiedCallInitiated } from "../api/CallsApi.js"
import { CallbackUrls, newCallbackToken, newId } from "../callbackUrls.js"
import { GatewayApi } from "../GatewayApi.js"
import { idempotent } from "../idempotency.js"
import { failWith } from "../upstreamErrors.js"

const iso = (d: Date) => d.toISOString()

export const callView = (c: CallRecord) => ({
  id: c.id,
  callSid: c.callSid,
  kind: c.kind,
  direction: c.direction,
  status: c.status,
  from: c.fromNumber,
  to: c.toNumber,
  callerId: c.callerId,
  purpose: c.purpose,
  reason: c.reason,
  orderId: c.orderId,
  customField: c.customField,
  recordingUrl: c.recordingUrl,
  durationSeconds: c.durationSeconds,
  error: c.error,
  createdAt: iso(c.createdAt),
  updatedAt: iso(c.updatedAt),
  endedAt: c.endedAt === null ? null : iso(c.endedAt),
})

const isTerminal = (status: string) => (terminalCallStatuses as ReadonlyArray<string>).includes(status)

export const CallsHandlersLive = HttpApiBuilder.group(GatewayApi, "calls", (handlers) =>
  Effect.gen(function* () {
    const settings = yield* Settings
    const calls = yield* CallsRepo
    const exotel = yield* ExotelClient
    const urls = yield* CallbackUrls
    const statusChanges = yield* CallStatusChanges

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

    /** Reconciles a call that has no terminal status yet with Exotel's own record (callbacks can be lost). */
    const refreshed = (call: CallRecord) =>
      call.callSid === null || isTerminal(call.status)
        ? Effect.succeed(call)
        : exotel.callDetails(call.callSid).pipe(
            Effect.flatMap((upstream) =>
              calls
                .recordStatus(call, upstream.Sid, upstream.Status, {
                  recordingUrl: upstream.RecordingUrl,
                  durationSeconds: upstream.Duration,
                  payload: { source: "reconcile", Status: upstream.Status },
                })
                .pipe(
                  Effect.tap((changed) =>
                    changed
                      ? statusChanges.publish(
                          statusChangeOf(call, upstream.Sid, upstream.Status, upstream.Duration),
                        )
                      : Effect.void,
                  ),
                ),
            ),
            Effect.zipRight(calls.find(call.id)),
            Effect.map(Option.getOrElse(() => call)),
            Effect.orElseSucceed(() => call),
          )

    return handlers
      .handle("clickToCall", ({ payload, headers }) =>
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
        }).pipe(idempotent("click-to-call", headers["idempotency-key"], CallInitiated)),
      )
      .handle("verifiedCall", ({ payload, headers }) =>
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
              streamUrl: `${urls.voiceStream}?callId=${id}`,
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
        }).pipe(idempotent("verified-calls", headers["idempotency-key"], VerifiedCallInitiated)),
      )
      .handle("listCalls", ({ urlParams }) =>
        Effect.gen(function* () {
          const page = urlParams.page ?? 1
          const limit = urlParams.limit ?? 20
          const { calls: rows, total } = yield* calls.list(
            {
              status: urlParams.status,
              direction: urlParams.direction,
              from: urlParams.from,
              to: urlParams.to,
              phone: urlParams.phone,
            },
            page,
            limit,
          )
          return { calls: rows.map(callView), page, limit, total, hasMore: page * limit < total }
        }),
      )
      .handle("getCall", ({ path }) =>
        Effect.gen(function* () {
          const found = yield* calls.find(path.callSid)
          if (Option.isNone(found)) return yield* new NotFound({ message: `No call ${path.callSid}` })
          return callView(yield* refreshed(found.value))
        }),
      )
      .handle("getRecording", ({ path }) =>
        Effect.gen(function* () {
          const found = yield* calls.find(path.callSid)
          if (Option.isNone(found)) return yield* new NotFound({ message: `No call ${path.callSid}` })
          const call = yield* refreshed(found.value)
          if (call.recordingUrl === null || call.recordingUrl === "") {
            return yield* new NotFound({ message: `Call ${path.callSid} has no recording` })
          }
          return { callSid: call.callSid ?? call.id, recordingUrl: call.recordingUrl }
        }),
      )
  }),
)
