// Scheduled calls as a service: a call stored in its allowed slot before the answer, then left to the
// dispatcher, which places it when due, retries it by its retry configuration and records every decision. The
// HTTP endpoints under /scheduled-calls and a backend embedding the gateway both call it.
import { Clock, Context, Effect, Layer, Option, Schema } from "effect"
import { ScheduledCallBell } from "../actors/ScheduledCallDispatcher.js"
import {
  type CallScheduled,
  PendingCallsQuery,
  type ScheduledCallDetail,
  type ScheduledCallList,
  ScheduledCallStatsQuery,
  type ScheduledCallStatsView,
  type ScheduledCallView,
} from "../api/scheduledCalls.js"
import { newId } from "../config/callbackUrls.js"
import { Settings } from "../config/Settings.js"
import { type BadRequest, Conflict, Forbidden, NotFound, Unprocessable } from "../domain/errors.js"
import { decodeInput } from "../domain/invalidInput.js"
import { periodHours } from "../domain/periods.js"
import { RetryConfig } from "../domain/Retry.js"
import { defaultPriority, ScheduleCallRequest } from "../domain/ScheduledCall.js"
import { ratio } from "../policy/ratios.js"
import { slotFor } from "../policy/scheduling.js"
import { type AttemptRow, type ScheduledCallRow, ScheduledCallsRepo } from "../store/ScheduledCallsRepo.js"

const iso = (d: Date) => d.toISOString()
const isoOrNull = (d: Date | null) => (d === null ? null : iso(d))

export const scheduledCallView = (row: ScheduledCallRow): typeof ScheduledCallView.Type => ({
  id: row.id,
  phone: row.phone,
  purpose: row.purpose,
  priority: row.priority,
  context: row.context,
  useVerifiedCall: row.useVerifiedCall,
  language: row.language,
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

const noSuchCall = (id: string) => new NotFound({ message: `No scheduled call ${id}` })

/** The scheduled calls, on input already decoded (the HTTP layer decodes it itself). */
export const makeScheduledCallsCore = Effect.gen(function* () {
  const settings = yield* Settings
  const repo = yield* ScheduledCallsRepo
  const bell = yield* ScheduledCallBell

  const schedule = (payload: typeof ScheduleCallRequest.Type) =>
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
      // The per-call settings over the gateway's: the snapshot is kept with the call, so a later change of the
      // gateway's retry configuration does not change a call already promised.
      const retry = validRetryConfig({ ...current.retry, ...payload.retryConfig })
      if (retry._tag === "Left") {
        return yield* new Unprocessable({
          message: "retryConfig.maxDelaySeconds: must not be less than initialDelaySeconds",
          field: "retryConfig.maxDelaySeconds",
        })
      }
      const now = yield* Clock.currentTimeMillis
      const preferred = payload.preferredTime === undefined ? undefined : Date.parse(payload.preferredTime)
      const slot = slotFor(now, preferred, current.timing, payload.purpose)
      if (slot === undefined) {
        return yield* new Unprocessable({
          message: "preferredTime: the timing configuration allows no call for this purpose within a year",
          field: "preferredTime",
          nextAvailableTime: null,
        })
      }
      const id = newId("sched")
      const language = payload.language ?? "en"
      yield* repo.insert(
        {
          id,
          phone: payload.phone,
          purpose: payload.purpose,
          priority: payload.priority ?? defaultPriority,
          context: payload.context ?? {},
          useVerifiedCall: payload.useVerifiedCall ?? false,
          language,
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
        language,
        preferredTime: preferred === undefined ? null : new Date(preferred).toISOString(),
        movedBecause: slot.movedBecause,
      }
    })

  const listPending = (query: typeof PendingCallsQuery.Type) =>
    Effect.map(repo.listPending(query.limit ?? 100), (rows) => ({
      scheduledCalls: rows.map(scheduledCallView),
      count: rows.length,
    }))

  const get = (id: string) =>
    Effect.flatMap(
      repo.findWithAttempts(id),
      Option.match({
        onNone: () => Effect.fail(noSuchCall(id)),
        onSome: ({ row, attempts }) =>
          Effect.succeed({ ...scheduledCallView(row), attemptLog: attempts.map(attemptView) }),
      }),
    )

  const cancel = (id: string) =>
    Effect.gen(function* () {
      const result = yield* repo.cancel(id, new Date(yield* Clock.currentTimeMillis))
      if (result === "not_found") return yield* noSuchCall(id)
      if (result !== "cancelled") {
        return yield* new Conflict({
          message: `Scheduled call ${id} is ${result.conflict}; only a pending call can be cancelled`,
        })
      }
      const row = yield* repo.find(id)
      if (Option.isNone(row)) return yield* noSuchCall(id)
      return scheduledCallView(row.value)
    })

  const stats = (query: typeof ScheduledCallStatsQuery.Type) =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const period = query.period ?? null
      const s = yield* repo.stats(period === null ? null : new Date(now - periodHours[period] * 3_600_000))
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
        answerRate: ratio(s.outcomes.completed, s.placed),
      }
    })

  return { schedule, listPending, get, cancel, stats }
})

export interface ScheduledCallsShape {
  /**
   * Stores a call to make at `preferredTime` (or now), moved to the first instant the timing policy allows
   * for the purpose (`movedBecause` says why); the dispatcher places it then and retries it by `retryConfig`
   * over the gateway's, and the answered call speaks the purpose's script in `language` (English by default). Fails with BadRequest naming the field, Forbidden (`useVerifiedCall` with verified
   * calls switched off), or Unprocessable (no default ExoPhone, a retry configuration whose maximum delay is
   * below its initial delay, or no allowed time within a year).
   */
  readonly schedule: (
    request: typeof ScheduleCallRequest.Encoded,
  ) => Effect.Effect<typeof CallScheduled.Type, BadRequest | Forbidden | Unprocessable>
  /** Pending calls by due time, then priority; at most `limit` (1 to 1000, default 100), else BadRequest. */
  readonly listPending: (
    query?: typeof PendingCallsQuery.Encoded,
  ) => Effect.Effect<typeof ScheduledCallList.Type, BadRequest>
  /** A scheduled call with every decision taken about it (`attemptLog`); NotFound for an unknown id. */
  readonly get: (id: string) => Effect.Effect<typeof ScheduledCallDetail.Type, NotFound>
  /** Cancels a pending call; NotFound for an unknown id, Conflict once it is being dispatched or has ended. */
  readonly cancel: (id: string) => Effect.Effect<typeof ScheduledCallView.Type, NotFound | Conflict>
  /** Counts by status of the calls scheduled in the period (all time when none) and of their attempts. */
  readonly stats: (
    query?: typeof ScheduledCallStatsQuery.Encoded,
  ) => Effect.Effect<typeof ScheduledCallStatsView.Type, BadRequest>
}

export class ScheduledCalls extends Context.Tag("ScheduledCalls")<ScheduledCalls, ScheduledCallsShape>() {}

/** Needs the dispatcher's bell, so that a call due before its next wake-up wakes it. */
export const ScheduledCallsLive = Layer.effect(
  ScheduledCalls,
  Effect.map(makeScheduledCallsCore, (core) =>
    ScheduledCalls.of({
      schedule: (request) => Effect.flatMap(decodeInput(ScheduleCallRequest, request), core.schedule),
      listPending: (query = {}) => Effect.flatMap(decodeInput(PendingCallsQuery, query), core.listPending),
      get: core.get,
      cancel: core.cancel,
      stats: (query = {}) => Effect.flatMap(decodeInput(ScheduledCallStatsQuery, query), core.stats),
    }),
  ),
)
