// Every request to Exotel draws a token from the account's budget (src/policy/rateBudget.ts) before it is sent.
// The bucket is a row in the database, not a share per process: several gateways on one PostgreSQL server spend
// one account, and a row needs no count of live processes and wastes no share of a process that is idle.
//
// Time here is the wall clock, not Effect's Clock: Exotel counts the account's requests in real time, and a
// test's TestClock must neither stall the budget nor let it refill faster than Exotel's window does.
import { Context, Data, Effect, FiberRef, Layer, Metric, Option } from "effect"
import { Settings } from "../../config/Settings.js"
import { bulkAllowance, draw, heldBack, type Lane, type RateBudgetRule } from "../../policy/rateBudget.js"
import { RateBudgetRepo, type StoredBucket } from "../../store/RateBudgetRepo.js"
import { simulatorAccount } from "./simulatorAccount.js"

/** The lane of the work in progress: interactive unless the caller said bulk (see `asBulkWork`). */
export const ExotelLane = FiberRef.unsafeMake<Lane>("interactive")

/** Whether the work in progress has no caller waiting on it, and so may outwait any number of 429s. */
export const ExotelUnhurried = FiberRef.unsafeMake(false)

/**
 * Runs an effect as bulk work: its Exotel requests wait for the budget, behind interactive ones. A caller still
 * waits on it (a bulk SMS request), so a 429 that keeps coming ends in a 503, as for interactive work.
 */
export const asBulkWork = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.locally(effect, ExotelLane, "bulk")

/**
 * Runs an effect as background bulk work (a campaign's dial, a scheduled call): nobody waits on it, so a 429 is
 * waited out and tried again until Exotel takes the request; it never becomes a failed attempt.
 */
export const asBackgroundWork = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.locally(Effect.locally(effect, ExotelUnhurried, true), ExotelLane, "bulk")

export interface RateBudgetOptions {
  /** The window the account's limit counts over: Exotel's minute; tests shorten it with the limit. */
  readonly windowMs: number
  /** The longest an interactive request waits for a token before it is answered 503. */
  readonly interactiveWaitMs: number
}

export class RateBudgetConfig extends Context.Reference<RateBudgetConfig>()("ExotelRateBudgetConfig", {
  defaultValue: (): RateBudgetOptions => ({ windowMs: 60_000, interactiveWaitMs: 2_000 }),
}) {}

/** No token within the interactive bound: the caller answers 503 and says when to come back. */
export class BudgetSpent extends Data.TaggedError("BudgetSpent")<{ readonly retryAfterMs: number }> {}

export interface RateBudgetShape {
  /** Takes a token for the current lane: bulk work waits for one, interactive work at most its bound. */
  readonly draw: Effect.Effect<void, BudgetSpent>
  /** Exotel answered 429: nothing is drawn, in any lane or process, until its Retry-After has passed. */
  readonly heldBack: (retryAfterMs: number) => Effect.Effect<void>
  /** Bulk requests the budget can take over the next `horizonMs`: a dialer's pace (Infinity: no budget). */
  readonly bulkAllowance: (horizonMs: number) => Effect.Effect<number>
}

export class RateBudget extends Context.Tag("ExotelRateBudget")<RateBudget, RateBudgetShape>() {}

/** How far ahead a dialer plans its bulk requests, and how long it pauses when the budget has none to give. */
export const bulkHorizonMs = 1_000

export const budgetWaits = Metric.counter("exotel_rate_budget_waits_total", {
  description: "Exotel requests that waited for the account's rate budget",
})
export const budgetRefusals = Metric.counter("exotel_rate_budget_refusals_total", {
  description: "Interactive requests answered 503 because the account's rate budget had no token in time",
})

const wallClock = Effect.sync(() => Date.now())

const bucketOf = (seen: Option.Option<StoredBucket>) =>
  Option.getOrUndefined(Option.map(seen, (s) => s.bucket))

// A real timer, for the reason in the file's comment; interrupting the fiber clears it.
export const wallSleep = (ms: number) =>
  Effect.async<void>((resume) => {
    const timer = setTimeout(() => resume(Effect.void), Math.max(0, ms))
    return Effect.sync(() => clearTimeout(timer))
  })

/** The longest a bulk waiter sleeps before it looks again: another process or a setting may have changed things. */
const recheckMs = 1_000

export const RateBudgetLive = Layer.effect(
  RateBudget,
  Effect.gen(function* () {
    const repo = yield* RateBudgetRepo
    const settings = yield* Settings
    const options = yield* RateBudgetConfig
    // One read-decide-write at a time in this process: they would only spoil each other's compare-and-set.
    const turn = yield* Effect.makeSemaphore(1)
    // One bulk waiter polls at a time; the rest queue behind it instead of asking the database in a herd.
    const bulkGate = yield* Effect.makeSemaphore(1)
    // With no budget (0), a 429 still holds this process back for its Retry-After: the gateway then learns the
    // limit from Exotel's refusals, as a client without a budget does.
    let heldUntil = 0

    const current = Effect.map(settings.current, (s) => ({
      account: Option.getOrElse(s.exotel.accountSid, () => simulatorAccount.accountSid),
      rule: { requests: s.exotel.rateLimitPerMinute, windowMs: options.windowMs } satisfies RateBudgetRule,
    }))

    /** One try: granted (0), or the wait until this lane may have a token. */
    const tryDraw = (lane: Lane) =>
      Effect.gen(function* () {
        const { account, rule } = yield* current
        if (rule.requests === 0) return Math.max(0, heldUntil - (yield* wallClock))
        for (;;) {
          const seen = yield* repo.read(account)
          const now = yield* wallClock
          const outcome = draw(bucketOf(seen), rule, lane, now)
          if (!outcome.granted) return outcome.waitMs
          if (yield* repo.swap(account, seen, outcome.bucket)) return 0
        }
      }).pipe(turn.withPermits(1))

    const interactive = Effect.gen(function* () {
      const deadline = (yield* wallClock) + options.interactiveWaitMs
      let waited = false
      for (;;) {
        const waitMs = yield* tryDraw("interactive")
        if (waitMs === 0) break
        const now = yield* wallClock
        if (now + waitMs > deadline) {
          yield* Metric.increment(budgetRefusals)
          return yield* new BudgetSpent({ retryAfterMs: waitMs })
        }
        if (!waited) yield* Metric.increment(budgetWaits)
        waited = true
        yield* wallSleep(waitMs)
      }
    })

    const bulk = Effect.gen(function* () {
      let waited = false
      for (;;) {
        const waitMs = yield* tryDraw("bulk")
        if (waitMs === 0) return
        if (!waited) yield* Metric.increment(budgetWaits)
        waited = true
        yield* wallSleep(Math.min(waitMs, recheckMs))
      }
    }).pipe(bulkGate.withPermits(1))

    return RateBudget.of({
      draw: Effect.flatMap(FiberRef.get(ExotelLane), (lane) => (lane === "bulk" ? bulk : interactive)),
      heldBack: (retryAfterMs) =>
        Effect.gen(function* () {
          const { account, rule } = yield* current
          if (rule.requests === 0) {
            heldUntil = Math.max(heldUntil, (yield* wallClock) + retryAfterMs)
            return
          }
          for (;;) {
            const seen = yield* repo.read(account)
            const next = heldBack(bucketOf(seen), retryAfterMs, yield* wallClock)
            if (yield* repo.swap(account, seen, next)) return
          }
        }).pipe(turn.withPermits(1)),
      bulkAllowance: (horizonMs) =>
        Effect.gen(function* () {
          const { account, rule } = yield* current
          if (rule.requests === 0) return Number.POSITIVE_INFINITY
          const seen = yield* repo.read(account)
          return bulkAllowance(bucketOf(seen), rule, yield* wallClock, horizonMs)
        }),
    })
  }),
)
