// Scheduled calls: stored in their allowed slot before the answer, then left to the dispatcher.
import { HttpApiBuilder } from "@effect/platform"
import { Clock, Effect, Option, Schema } from "effect"
import { ScheduledCallBell } from "../../actors/ScheduledCallDispatcher.js"
import { Settings } from "../../config/Settings.js"
import { Conflict, Forbidden, NotFound, Unprocessable } from "../../domain/errors.js"
import { RetryConfig } from "../../domain/Retry.js"
import { defaultPriority } from "../../domain/ScheduledCall.js"
import { slotFor } from "../../policy/scheduling.js"
import { type AttemptRow, type ScheduledCallRow, ScheduledCallsRepo } from "../../store/ScheduledCallsRepo.js"
import { newId } from "../callbackUrls.js"
import { GatewayApi } from "../GatewayApi.js"

const iso = (d: Date) => d.toISOString()
const isoOrNull = (d: Date | null) => (d === null ? null : iso(d))

const periodHours = { "24h": 24, "7d": 24 * 7, "30d": 24 * 30 } as const

export const scheduledCallView = (row: ScheduledCallRow) => ({
  id: row.id,
  phone: row.phone,
  purpose: row.purpose,
  priority: row.priority,
  context: row.context,
  useVerifiedCall: row.useVerifiedCall,
  status: row.status,
  scheduledTime: iso(row.scheduledFor),
  preferredTime: isoOrNull(row.preferredTime),
  movedBecause: row.movedBecause,
  attempts: row.attempts,
  lastOutcome: row.lastOutcome,
  retryConfig: { ...row.retryConfig },
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
  finishedAt: isoOrNull(row.finishedAt),
})

const attemptView = (a: AttemptRow) => ({
  attempt: a.attempt,
  decision: a.decision,
  callId: a.callId,
  outcome: a.outcome,
  nextAt: isoOrNull(a.nextAt),
  detail: a.detail,
  at: iso(a.at),
})

const validRetryConfig = Schema.decodeUnknownEither(RetryConfig)

export const ScheduledCallsHandlersLive = HttpApiBuilder.group(GatewayApi, "scheduledCalls", (handlers) =>
  Effect.gen(function* () {
    const settings = yield* Settings
    const repo = yield* ScheduledCallsRepo
    const bell = yield* ScheduledCallBell

    const found = (id: string) =>
      Effect.flatMap(repo.find(id), (row) =>
        Option.match(row, {
          onNone: () => Effect.fail(new NotFound({ message: `No scheduled call ${id}` })),
          onSome: Effect.succeed,
        }),
      )

    return handlers
      .handle("schedule", ({ payload }) =>
        Effect.gen(function* () {
          const current = yield* settings.current
          if (payload.useVerifiedCall === true && !current.features.verifiedCallsEnabled) {
            return yield* new Forbidden({ message: "The verifiedCallsEnabled feature is switched off" })
          }
          if (Option.isNone(current.exotel.defaultExoPhone)) {
            return yield* new Unprocessable({
              message: "phone: no default ExoPhone is configured (exotel-default-exophone) to call from",
              field: "phone",
            })
          }
          // The per-call settings over the gateway's: the snapshot is kept with the call, so a later change of
          // the gateway's retry configuration does not change a call already promised.
          const retry = validRetryConfig({ ...current.retry, ...payload.retryConfig })
          if (retry._tag === "Left") {
            return yield* new Unprocessable({
              message: `retryConfig.maxDelaySeconds: must not be less than initialDelaySeconds`,
              field: "retryConfig.maxDelaySeconds",
            })
          }
          const now = yield* Clock.currentTimeMillis
          const preferred =
            payload.preferredTime === undefined ? undefined : Date.parse(payload.preferredTime)
          const slot = slotFor(now, preferred, current.timing, payload.purpose)
          if (slot === undefined) {
            return yield* new Unprocessable({
              message:
                "preferredTime: the timing configuration allows no call for this purpose within a year",
              field: "preferredTime",
              nextAvailableTime: null,
            })
          }
          const id = newId("sched")
          yield* repo.insert(
            {
              id,
              phone: payload.phone,
              purpose: payload.purpose,
              priority: payload.priority ?? defaultPriority,
              context: payload.context ?? {},
              useVerifiedCall: payload.useVerifiedCall ?? false,
              retryConfig: retry.right,
              preferredTime: preferred === undefined ? null : new Date(preferred),
              scheduledFor: new Date(slot.dueAt),
              movedBecause: slot.movedBecause,
            },
            new Date(now),
          )
          yield* bell.ring(slot.dueAt)
          return {
            id,
            scheduledTime: new Date(slot.dueAt).toISOString(),
            status: "scheduled" as const,
            preferredTime: preferred === undefined ? null : new Date(preferred).toISOString(),
            movedBecause: slot.movedBecause,
          }
        }),
      )
      .handle("listPending", ({ urlParams }) =>
        Effect.map(repo.listPending(urlParams.limit ?? 100), (rows) => ({
          scheduledCalls: rows.map(scheduledCallView),
          count: rows.length,
        })),
      )
      .handle("get", ({ path }) =>
        Effect.gen(function* () {
          const read = yield* repo.findWithAttempts(path.id)
          if (Option.isNone(read)) return yield* new NotFound({ message: `No scheduled call ${path.id}` })
          const { row, attempts } = read.value
          return { ...scheduledCallView(row), attemptLog: attempts.map(attemptView) }
        }),
      )
      .handle("cancel", ({ path }) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const result = yield* repo.cancel(path.id, new Date(now))
          if (result === "not_found") return yield* new NotFound({ message: `No scheduled call ${path.id}` })
          if (result !== "cancelled") {
            return yield* new Conflict({
              message: `Scheduled call ${path.id} is ${result.conflict}; only a pending call can be cancelled`,
            })
          }
          return scheduledCallView(yield* found(path.id))
        }),
      )
      .handle("stats", ({ urlParams }) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const period = urlParams.period ?? null
          const since = period === null ? null : new Date(now - periodHours[period] * 3_600_000)
          const s = yield* repo.stats(since)
          return {
            period,
            total: s.total,
            pending: s.byStatus.pending,
            dispatching: s.byStatus.dispatching,
            inProgress: s.byStatus.in_progress,
            completed: s.byStatus.completed,
            failed: s.byStatus.failed,
            cancelled: s.byStatus.cancelled,
            placed: s.placed,
            outcomes: {
              completed: s.outcomes.completed,
              busy: s.outcomes.busy,
              noAnswer: s.outcomes.no_answer,
              networkError: s.outcomes.network_error,
              failed: s.outcomes.failed,
            },
            retriesScheduled: s.retriesScheduled,
            movedByTiming: s.movedByTiming,
            gaveUp: s.gaveUp,
            answerRate: s.placed === 0 ? null : Math.round((s.outcomes.completed / s.placed) * 1000) / 1000,
          }
        }),
      )
  }),
)
