// Calls: store the call, ask Exotel, store its answer; the call log reads the same table.
import { HttpApiBuilder } from "@effect/platform"
import { Effect, Option } from "effect"
import { CallStatusChanges, statusChangeOf } from "../../actors/CallStatusChanges.js"
import { NotFound } from "../../domain/errors.js"
import { makeCallsCore } from "../../services/Calls.js"
import { type CallRecord, CallsRepo, terminalCallStatuses } from "../../store/CallsRepo.js"
import { ScriptedCallsRepo } from "../../store/ScriptedCallsRepo.js"
import { ExotelClient } from "../../upstream/exotel/ExotelClient.js"
import { GatewayApi } from "../GatewayApi.js"

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
    const calls = yield* CallsRepo
    const exotel = yield* ExotelClient
    const core = yield* makeCallsCore
    const statusChanges = yield* CallStatusChanges
    const scripts = yield* ScriptedCallsRepo

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
      .handle("clickToCall", ({ payload, headers }) => core.clickToCall(payload, headers["idempotency-key"]))
      .handle("verifiedCall", ({ payload, headers }) =>
        core.verifiedCall(payload, headers["idempotency-key"]),
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
          const call = callView(yield* refreshed(found.value))
          const script = yield* scripts.resultOf(call.id)
          return Option.match(script, {
            onNone: () => call,
            onSome: ({ purpose, endedBy, rating, keys }) => ({
              ...call,
              script: { purpose, endedBy, rating, keys },
            }),
          })
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
