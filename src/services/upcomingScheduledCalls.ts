// The next pending scheduled calls, each with the reason it has not been dialled yet, asked of the same pure
// policy the dispatcher decides by (src/policy/scheduledCallWait.ts) with the settings and budget it reads.
import { Clock, Effect } from "effect"
import type { UpcomingCalls } from "../api/scheduledCalls.js"
import { Settings } from "../config/Settings.js"
import { whyWaiting } from "../policy/scheduledCallWait.js"
import { ScheduledCallsRepo } from "../store/ScheduledCallsRepo.js"
import { bulkHorizonMs, RateBudget } from "../upstream/exotel/RateBudget.js"
import { scheduledCallView } from "./ScheduledCalls.js"

export const makeUpcomingScheduledCalls = Effect.gen(function* () {
  const settings = yield* Settings
  const repo = yield* ScheduledCallsRepo
  const budget = yield* RateBudget
  return (limit: number): Effect.Effect<typeof UpcomingCalls.Type> =>
    Effect.gen(function* () {
      const rows = yield* repo.listPending(limit)
      const timing = (yield* settings.current).timing
      // The dispatcher's question, over its horizon: how many bulk requests may go out now.
      const allowance = yield* budget.bulkAllowance(bulkHorizonMs)
      const now = yield* Clock.currentTimeMillis
      return {
        at: new Date(now).toISOString(),
        scheduledCalls: rows.map((row) => ({
          ...scheduledCallView(row),
          waiting: whyWaiting(
            {
              purpose: row.purpose,
              dueAt: row.scheduledFor.getTime(),
              attempts: row.attempts,
              lastOutcome: row.lastOutcome,
              movedBecause: row.movedBecause,
            },
            now,
            timing,
            allowance,
          ),
        })),
      }
    })
})
