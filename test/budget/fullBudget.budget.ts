// `npm run test:budget`: 1,000 contacts on Exotel's own limit of 200 requests a minute, more than five minutes of
// work for the account's budget. `npm test` runs the same campaign scaled down (test/campaigns/rateBudget.test.ts).
import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { budgetGateway, describeRun, fullScale, runBudgetCampaign } from "../campaigns/budgetCampaign.js"

layer(budgetGateway(fullScale), { timeout: 60_000, excludeTestServices: true })(
  "a campaign of 1,000 contacts on Exotel's 200 requests a minute",
  (it) => {
    it.effect(
      "completes: every contact dialled once, no 429, never paused, click-to-calls answered throughout",
      () =>
        Effect.gen(function* () {
          const run = yield* runBudgetCampaign(fullScale)
          console.log(describeRun(run))
          expect(run.wronglyDialled).toEqual([])
          expect(run.refused429).toBe(0)
          expect(run.busiestWindow).toBeLessThanOrEqual(fullScale.limit.requests)
          expect(run.statusesSeen).not.toContain("paused")
          expect(run.statusesSeen).toContain("completed")
          expect(run.clickToCallStatuses.filter((s) => s !== 200)).toEqual([])
        }),
      15 * 60_000,
    )
  },
)
