// The dispatcher: one fiber in the cluster (a singleton, on whichever process holds it) that claims due
// scheduled calls in the database, places them through Exotel, and turns each outcome into the next step (done,
// a retry at an allowed time, or given up).
//
// Waking. It sleeps until the earliest due time, and is woken early by a bell: rung in-process when a call is
// scheduled or an attempt settles, and on a PostgreSQL server also by NOTIFY, so an insert on another process
// wakes it too (LISTEN does not cross connections on the embedded database, which one process owns anyway).
// A safety re-check (`safetyRecheckMs`, a minute) bounds the sleep; it is a backstop for a lost notification and
// for the lease and lost-callback checks below, not the way calls are found.
//
// Placing at most once. A claim is one transaction: the due rows are locked (FOR UPDATE SKIP LOCKED, so two
// dispatchers never take the same row), each gets its calls row — whose id, `<scheduled id>-a<attempt>`, is
// the attempt's idempotency anchor — and an attempt row, and becomes `dispatching` under this process's lease.
// Only after the commit is Exotel asked. A crash between the commit and Exotel's answer leaves the row
// dispatching: once its lease runs out (at once on an embedded database, whose only other owner is dead) a
// dispatcher takes it over and asks Exotel's bulk call details whether a call to that number was created since
// the claim that no calls row knows; if so it adopts that call, and only if not does it place the call again.
// What remains is at-least-once only for a call Exotel accepted but does not yet list, a window far smaller
// than the crash window it closes; we take that over at-most-once, which would silently drop every call that
// never left the process.

import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Clock, Context, Duration, Effect, Layer, Option, Queue, Ref, Schedule, Stream } from "effect"
import { runAsSingleton } from "../cluster/Cluster.js"
import { CallbackUrls, newCallbackToken, newId } from "../config/callbackUrls.js"
import { GatewayEnv } from "../config/Env.js"
import { Settings } from "../config/Settings.js"
import type { AttemptOutcome } from "../domain/Retry.js"
import { retryDelays } from "../policy/retry.js"
import { attemptOutcomeOf, checkAtDispatch, nextStep } from "../policy/scheduledCallOutcome.js"
import { CallsRepo, type NewCall } from "../store/CallsRepo.js"
import { DatabaseInfo } from "../store/Database.js"
import {
  type NewAttempt,
  type PlacedCall,
  type ScheduledCallRow,
  ScheduledCallsRepo,
} from "../store/ScheduledCallsRepo.js"
import { ExotelClient } from "../upstream/exotel/ExotelClient.js"
import { asBackgroundWork, bulkHorizonMs, RateBudget, wallSleep } from "../upstream/exotel/RateBudget.js"
import { CallStatusChanges, statusChangeOf } from "./CallStatusChanges.js"

export interface DispatcherOptions {
  /** Rows claimed per transaction. */
  readonly batchSize: number
  /** Calls of a batch placed at once. */
  readonly concurrency: number
  /** The longest sleep; a backstop, not the way due calls are found (see the file's comment). */
  readonly safetyRecheckMs: number
}

export const defaultDispatcherOptions: DispatcherOptions = {
  batchSize: 50,
  concurrency: 8,
  safetyRecheckMs: 60_000,
}

export class DispatcherConfig extends Context.Reference<DispatcherConfig>()("ScheduledCallDispatcherConfig", {
  defaultValue: () => defaultDispatcherOptions,
}) {}

/** Wakes the dispatchers: this process's at once, and on a server database every other process's too. */
export class ScheduledCallBell extends Context.Tag("ScheduledCallBell")<
  ScheduledCallBell,
  {
    /** A call is now due at `dueAt` (epoch ms): wakes the dispatcher if it would sleep past that. */
    readonly ring: (dueAt: number) => Effect.Effect<void>
  }
>() {}

const dueChannel = "scheduled_calls_due"

/** The calls row id of an attempt: the idempotency anchor, and the way back from a status change. */
export const attemptCallId = (scheduledCallId: string, attempt: number) => `${scheduledCallId}-a${attempt}`
const scheduledIdOf = (callId: string): string | undefined => /^(.+)-a\d+$/.exec(callId)?.[1]

const customFieldOf = (row: ScheduledCallRow) => {
  const orderId = row.context.orderId
  return [
    row.purpose,
    typeof orderId === "string" || typeof orderId === "number" ? String(orderId) : undefined,
  ]
    .filter((s) => s !== undefined)
    .join("|")
    .slice(0, 128)
}

export const ScheduledCallDispatcherLive = Layer.scoped(
  ScheduledCallBell,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const pg = yield* PgClient.PgClient
    const database = yield* DatabaseInfo
    const env = yield* GatewayEnv
    const options = {
      ...(yield* DispatcherConfig),
      // A dispatching row claimed longer ago than this is presumed abandoned by a dead process.
      leaseMs: env.scheduledCallLeaseSeconds * 1000,
      // An in-progress call not heard of for this long is asked about at Exotel (its callback may be lost).
      quietMs: env.scheduledCallQuietSeconds * 1000,
    }
    const repo = yield* ScheduledCallsRepo
    const calls = yield* CallsRepo
    const exotel = yield* ExotelClient
    const budget = yield* RateBudget
    const settings = yield* Settings
    const urls = yield* CallbackUrls
    const statusChanges = yield* CallStatusChanges
    const owner = newId("dispatcher")
    // An embedded database is opened by one process only: any other claimer it records is dead.
    const othersDead = database.mode === "embedded"

    const bell = yield* Queue.sliding<void>(1)
    // When the loop will next look for due calls; +Infinity while it is awake, so that a call stored during a
    // sweep (after its query) rings once more instead of waiting for the next wake-up.
    const wakeAt = yield* Ref.make(Number.POSITIVE_INFINITY)
    const wakeFor = (dueAt: number) =>
      Effect.flatMap(Ref.get(wakeAt), (at) => (dueAt < at ? Queue.offer(bell, undefined) : Effect.void)).pipe(
        Effect.asVoid,
      )
    // Lease take-overs, lost callbacks and outcomes the follower missed are looked for this often.
    const maintenanceMs = Math.min(options.safetyRecheckMs, options.leaseMs / 2, options.quietMs / 2)
    const lastMaintenance = yield* Ref.make(Number.NEGATIVE_INFINITY)
    const now = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms))

    /** The attempt's outcome decides the next step; a row already settled is left as it is. */
    const settle = (
      id: string,
      callId: string,
      outcome: AttemptOutcome,
      detail: string | null,
      failCall: boolean,
    ) =>
      Effect.gen(function* () {
        const at = yield* now
        const locked = yield* repo.lock(id)
        if (Option.isNone(locked)) return
        const row = locked.value
        if (row.currentCallId !== callId || (row.status !== "dispatching" && row.status !== "in_progress"))
          return
        if (failCall) yield* calls.failed(callId, detail ?? outcome)
        const delays = yield* retryDelays(row.retryConfig)
        const delay = delays[row.attempts - 1]
        const timing = (yield* settings.current).timing
        const step = nextStep(
          {
            outcome,
            attempts: row.attempts,
            endedAt: at.getTime(),
            delayMs: delay === undefined ? undefined : Duration.toMillis(delay),
          },
          row.retryConfig,
          timing,
          row.purpose,
        )
        const base = { scheduledCallId: id, attempt: row.attempts, callId, at }
        const decisions: Array<NewAttempt> = [{ ...base, decision: "outcome", outcome, detail }]
        switch (step._tag) {
          case "Completed":
            yield* repo.finish(id, "completed", outcome, at)
            break
          case "GaveUp":
            decisions.push({ ...base, decision: "gave_up", outcome, detail: step.reason })
            yield* repo.finish(id, "failed", outcome, at)
            break
          case "Retry": {
            const dueAt = new Date(step.dueAt)
            decisions.push({
              ...base,
              decision: "retry_scheduled",
              outcome,
              nextAt: dueAt,
              detail: step.movedBecause,
            })
            yield* repo.reschedule(id, dueAt, step.movedBecause, outcome, at)
            yield* repo.recordAttempts(decisions)
            return step.dueAt
          }
        }
        yield* repo.recordAttempts(decisions)
        return undefined
      }).pipe(
        sql.withTransaction,
        Effect.flatMap((retryAt) => (retryAt === undefined ? Effect.void : wakeFor(retryAt))),
      )

    const recordPlaced = (
      row: ScheduledCallRow,
      callId: string,
      callSid: string,
      decision: "placed" | "adopted",
      detail: string,
    ) =>
      Effect.gen(function* () {
        const at = yield* now
        yield* calls.accepted(callId, callSid, "initiated")
        yield* repo.markPlaced(row.id, callId, at)
        yield* repo.recordAttempts([
          { scheduledCallId: row.id, attempt: row.attempts, decision, callId, detail, at },
        ])
      }).pipe(sql.withTransaction)

    // Scheduled calls can wait: they are the account's bulk work, behind interactive requests.
    const place = (row: ScheduledCallRow, callId: string, token: string, callerId: string) =>
      asBackgroundWork(
        exotel.connectCall({
          from: row.phone,
          callerId,
          streamUrl: urls.voiceStream({ _tag: "Call", id: callId }),
          streamType: "bidirectional",
          customField: customFieldOf(row),
          statusCallback: urls.callStatus(token),
        }),
      ).pipe(
        Effect.matchEffect({
          onSuccess: (call) => recordPlaced(row, callId, call.Sid, "placed", `CallSid ${call.Sid}`),
          // A refusal is about this call and will not change; an unreachable Exotel may be back later.
          onFailure: (error) =>
            settle(
              row.id,
              callId,
              error._tag === "ExotelRejected" ? "failed" : "network_error",
              error.message,
              true,
            ),
        }),
      )

    /**
     * One claim transaction, then its calls placed: the number of rows claimed, and whether the Exotel rate budget
     * held the claim back (no more rows are claimed than the budget can place over its horizon, so a due call
     * waits as a pending row, not as a claimed one).
     */
    const claimBatch = Effect.gen(function* () {
      const at = yield* now
      const current = yield* settings.current
      const callerId = Option.getOrUndefined(current.exotel.defaultExoPhone)
      const limit = Math.min(options.batchSize, yield* budget.bulkAllowance(bulkHorizonMs))
      if (limit === 0) {
        const due = yield* repo.nextDue
        const waiting = Option.isSome(due) && due.value.getTime() <= at.getTime()
        return { count: 0, heldBack: waiting }
      }
      const claimed = yield* Effect.gen(function* () {
        const rows = yield* repo.lockDue(at, limit)
        const toPlace: Array<{ row: ScheduledCallRow; call: NewCall }> = []
        const decisions: Array<NewAttempt> = []
        for (const row of rows) {
          const check = checkAtDispatch(at.getTime(), current.timing, row.purpose)
          const base = { scheduledCallId: row.id, attempt: row.attempts, at }
          if (check._tag === "Move") {
            yield* repo.moveTo(row.id, new Date(check.dueAt), check.reason, at)
            decisions.push({
              ...base,
              decision: "moved",
              nextAt: new Date(check.dueAt),
              detail: check.reason,
            })
            continue
          }
          if (check._tag === "Never" || callerId === undefined) {
            const reason = check._tag === "Never" ? check.reason : "No default ExoPhone is configured"
            yield* repo.finish(row.id, "failed", null, at)
            decisions.push({ ...base, decision: "gave_up", detail: reason })
            continue
          }
          const attempt = row.attempts + 1
          const call: NewCall = {
            id: attemptCallId(row.id, attempt),
            kind: "scheduled",
            status: "initiated",
            fromNumber: row.phone,
            toNumber: null,
            callerId,
            purpose: row.purpose,
            reason: row.useVerifiedCall ? "verified" : null,
            orderId: typeof row.context.orderId === "string" ? row.context.orderId.slice(0, 100) : null,
            customField: customFieldOf(row),
            record: false,
            timeLimit: null,
            clientCallback: null,
            callbackToken: newCallbackToken(),
          }
          toPlace.push({ row: { ...row, attempts: attempt, currentCallId: call.id }, call })
          decisions.push({ ...base, attempt, decision: "claimed", callId: call.id })
        }
        yield* calls.insertMany(toPlace.map((p) => p.call))
        yield* repo.markDispatching(
          toPlace.map((p) => ({ id: p.row.id, callId: p.call.id })),
          owner,
          at,
        )
        yield* repo.recordAttempts(decisions)
        return { count: rows.length, toPlace }
      }).pipe(sql.withTransaction)
      yield* Effect.forEach(
        claimed.toPlace,
        ({ row, call }) => place(row, call.id, call.callbackToken, call.callerId),
        { concurrency: options.concurrency, discard: true },
      )
      return { count: claimed.count, heldBack: claimed.count === limit && limit < options.batchSize }
    })

    /** A row left dispatching by a dead claimer: adopt the call Exotel has, or place it if Exotel has none. */
    const recover = (p: PlacedCall) =>
      Effect.gen(function* () {
        if (p.callSid !== null) {
          return yield* recordPlaced(
            p.row,
            p.callId,
            p.callSid,
            "placed",
            `CallSid ${p.callSid} (recorded late)`,
          )
        }
        const since = (p.claimedBefore ?? p.row.updatedAt).getTime() - 60_000
        // Look-ups that reconciliation needs are interactive work, ahead of the dials; only the dial waits.
        const listed = yield* exotel.callsFrom(p.row.phone, since)
        for (const candidate of listed) {
          const known = yield* calls.find(candidate.Sid)
          if (Option.isNone(known)) {
            return yield* recordPlaced(
              p.row,
              p.callId,
              candidate.Sid,
              "adopted",
              `CallSid ${candidate.Sid}, found at Exotel after the claimer died`,
            )
          }
        }
        yield* place(p.row, p.callId, p.callbackToken, p.callerId ?? p.row.phone)
      }).pipe(
        // Exotel cannot say now: the row keeps its new lease and is looked at again when that runs out.
        Effect.catchAll((error) =>
          Effect.logWarning("A scheduled call left by a dead dispatcher could not be checked at Exotel").pipe(
            Effect.annotateLogs({ scheduledCallId: p.row.id, error: error.message }),
          ),
        ),
      )

    /** Asks Exotel about a call whose callback may have been lost, and records what it says. */
    const reconcile = (p: PlacedCall) =>
      Effect.gen(function* () {
        if (p.callSid === null) return
        const upstream = yield* exotel.callDetails(p.callSid)
        const found = yield* calls.find(p.callId)
        if (Option.isNone(found)) return
        const changed = yield* calls.recordStatus(found.value, upstream.Sid, upstream.Status, {
          recordingUrl: upstream.RecordingUrl,
          durationSeconds: upstream.Duration,
          payload: { source: "reconcile", Status: upstream.Status },
        })
        if (changed) {
          yield* statusChanges.publish(
            statusChangeOf(found.value, upstream.Sid, upstream.Status, upstream.Duration),
          )
        }
      }).pipe(Effect.catchAll(() => Effect.void))

    const maintain = Effect.gen(function* () {
      const at = yield* now
      yield* Ref.set(lastMaintenance, at.getTime())
      const abandoned = yield* repo.takeOverExpired(at, options.leaseMs, owner, othersDead)
      yield* Effect.forEach(abandoned, recover, { concurrency: options.concurrency, discard: true })
      const quiet = yield* repo.quietCalls(at, options.quietMs, owner, othersDead)
      yield* Effect.forEach(quiet, reconcile, { concurrency: options.concurrency, discard: true })
      const ended = yield* repo.unsettled(500)
      yield* Effect.forEach(
        ended,
        (u) => settle(u.id, u.callId, attemptOutcomeOf(u.callStatus), `Exotel status ${u.callStatus}`, false),
        { discard: true },
      )
    })

    const sweep = Effect.gen(function* () {
      const at = yield* Clock.currentTimeMillis
      if (at - (yield* Ref.get(lastMaintenance)) >= maintenanceMs) yield* maintain
      for (;;) {
        const batch = yield* claimBatch
        // Held back by the budget: the rest are placed as it refills, on the wall clock it is counted on.
        if (batch.heldBack) yield* wallSleep(bulkHorizonMs)
        else if (batch.count < options.batchSize) break
      }
    })

    const sleepUntilWoken = Effect.gen(function* () {
      const due = yield* repo.nextDue
      // The clock is read after the query and just before the sleep: a clock that moved meanwhile (a test's,
      // or a slow query) must not push the wake-up past the due time.
      const at = yield* Clock.currentTimeMillis
      const backstop = Math.min(
        at + options.safetyRecheckMs,
        (yield* Ref.get(lastMaintenance)) + maintenanceMs,
      )
      const until = Option.match(due, {
        onNone: () => backstop,
        onSome: (d) => Math.min(d.getTime(), backstop),
      })
      yield* Ref.set(wakeAt, until)
      yield* Effect.race(Effect.sleep(Math.max(0, until - at)), Queue.take(bell))
      yield* Ref.set(wakeAt, Number.POSITIVE_INFINITY)
    })

    const changes = yield* statusChanges.subscribe
    yield* changes.pipe(
      Stream.filter((change) => change.kind === "scheduled" && change.terminal),
      Stream.runForEach((change) => {
        const id = scheduledIdOf(change.callId)
        return id === undefined
          ? Effect.void
          : settle(
              id,
              change.callId,
              attemptOutcomeOf(change.status),
              `Exotel status ${change.status}`,
              false,
            )
      }),
      Effect.catchAllCause((cause) => Effect.logWarning("Scheduled-call outcome follower stopped", cause)),
      Effect.forkScoped,
    )

    if (database.mode === "postgres") {
      yield* pg.listen(dueChannel).pipe(
        Stream.runForEach((payload) => wakeFor(Number(payload) || 0)),
        Effect.tapErrorCause((cause) => Effect.logWarning("Scheduled-call listener stopped", cause)),
        Effect.retry(Schedule.spaced("5 seconds")),
        Effect.forkScoped,
      )
    }

    // A failing database must not spin the loop: after a failure it waits a second before the next try.
    // The loop is a cluster singleton: one process claims and places due calls, and another takes over when it
    // stops (the claims stay one transaction under FOR UPDATE SKIP LOCKED, so even two never take one row). The
    // outcome follower and the listener above stay on every process: a call's callback lands anywhere.
    yield* runAsSingleton(
      "ScheduledCallDispatcher",
      Effect.zipRight(sweep, sleepUntilWoken).pipe(
        Effect.catchAllCause((cause) =>
          Effect.logError("Scheduled-call dispatch failed; trying again", cause).pipe(
            Effect.zipRight(Effect.sleep("1 second")),
          ),
        ),
        Effect.forever,
      ),
    )

    // pg_notify, not PgClient.notify (shared/STACK.md); the payload must not be empty for PgClient.listen.
    const announce = (dueAt: number) =>
      sql`SELECT pg_notify(${dueChannel}, ${String(dueAt)})`.pipe(Effect.ignore)
    return ScheduledCallBell.of({
      ring: (dueAt) =>
        database.mode === "postgres" ? Effect.zipRight(wakeFor(dueAt), announce(dueAt)) : wakeFor(dueAt),
    })
  }),
)
