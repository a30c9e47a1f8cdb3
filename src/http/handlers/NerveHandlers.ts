// The Nerve endpoints: thin — decode, hand to VoiceCalls or the repository, shape the answer.
import { HttpApiBuilder } from "@effect/platform"
import { Effect, Option } from "effect"
import { type PlacementFailed, VoiceCalls } from "../../actors/VoiceCalls.js"
import { GatewayEnv } from "../../config/Env.js"
import { Conflict, NotFound, ServiceUnavailable, Unprocessable } from "../../domain/errors.js"
import { answerOf } from "../../domain/orderAnswers.js"
import { periodHours } from "../../domain/periods.js"
import { ratio } from "../../policy/ratios.js"
import { riderCallOf, vendorCallOf } from "../../services/VoiceFlows.js"
import { VoiceCallsRepo } from "../../store/VoiceCallsRepo.js"
import { GatewayApi } from "../GatewayApi.js"

/** Nerve or Exotel down: 503 (with Retry-After); Exotel refusing the call: 422 with its message. */
/** The waiting list looks back a day: older undecided calls are for orders long gone. */
const waitingWithinHours = 24

const upstreamError = (e: PlacementFailed) =>
  e.reason === "refused"
    ? new Unprocessable({ message: e.message })
    : new ServiceUnavailable({ message: e.message })

const retryError = (e: PlacementFailed) =>
  e.reason === "not-retryable"
    ? new Conflict({ message: e.message })
    : e.reason === "missing"
      ? new NotFound({ message: e.message })
      : upstreamError(e)

export const NerveHandlersLive = HttpApiBuilder.group(GatewayApi, "nerve", (handlers) =>
  Effect.gen(function* () {
    const calls = yield* VoiceCalls
    const repo = yield* VoiceCallsRepo
    const env = yield* GatewayEnv
    return handlers
      .handle("health", () =>
        Option.match(calls.nerve, {
          onNone: () =>
            Effect.succeed({ mode: "built-in" as const, healthy: true, url: null, latencyMs: null }),
          onSome: (nerve) =>
            Effect.map(nerve.health, (h) => ({
              mode: "external" as const,
              healthy: h.ok,
              url: Option.getOrNull(env.nerveSystemUrl),
              latencyMs: h.latencyMs,
            })),
        }),
      )
      .handle("vendorConfirm", ({ payload }) =>
        calls.start(vendorCallOf(payload)).pipe(Effect.mapError(upstreamError)),
      )
      .handle("riderAssign", ({ payload }) =>
        calls.start(riderCallOf(payload)).pipe(Effect.mapError(upstreamError)),
      )
      .handle("byOrder", ({ path }) =>
        Effect.map(repo.findByOrder(path.orderId), (calls) => ({
          orderId: path.orderId,
          vendor: answerOf(calls, "vendor"),
          rider: answerOf(calls, "rider"),
          calls,
        })),
      )
      .handle("orderCallLog", ({ path }) =>
        Effect.gen(function* () {
          const calls = yield* repo.findByOrder(path.orderId)
          if (calls.length === 0)
            return yield* new NotFound({ message: `No voice call for order ${path.orderId}` })
          const log = yield* repo.orderEventLog(path.orderId)
          return {
            orderId: path.orderId,
            calls: calls.map((c) => ({ ...c, events: log.filter((e) => e.callId === c.id) })),
          }
        }),
      )
      .handle("waiting", ({ urlParams }) =>
        Effect.map(repo.waiting(waitingWithinHours, urlParams.limit), (calls) => ({ calls })),
      )
      .handle("stats", ({ urlParams }) =>
        Effect.map(repo.stats(periodHours[urlParams.period]), (s) => ({
          period: urlParams.period,
          total: s.total,
          byStatus: s.byStatus,
          completed: s.completed,
          successRate: ratio(s.completed, s.total),
          answered: s.answered,
          answerRate: ratio(s.answered, s.total),
          averageDurationSeconds: s.averageDurationSeconds,
          accepted: s.accepted,
          rejected: s.rejected,
          acceptanceRate: ratio(s.accepted, s.accepted + s.rejected),
          averagePrepTimeMinutes: s.averagePrepTimeMinutes,
          vendorCalls: {
            total: s.vendorCalls,
            accepted: s.vendorAccepted,
            successRate: ratio(s.vendorAccepted, s.vendorCalls),
          },
          attempts: { total: s.attempts, callsRetried: s.callsRetried },
        })),
      )
      .handle("retry", ({ path }) =>
        Effect.gen(function* () {
          const stored = yield* repo.find(path.callId)
          if (Option.isNone(stored)) return yield* new NotFound({ message: `No voice call ${path.callId}` })
          return yield* calls.retry(path.callId).pipe(Effect.mapError(retryError))
        }),
      )
  }),
)
