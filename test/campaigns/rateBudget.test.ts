// The account's budget at CI's scale: 200 contacts on 40 requests per 6 s window, five windows of work, the same
// ratio as `npm run test:budget`'s 1,000 contacts on Exotel's 200 a minute.
import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { budgetGateway, ciScale, describeRun, runBudgetCampaign } from "./budgetCampaign.js"

layer(budgetGateway(ciScale), { timeout: 60_000, excludeTestServices: true })(
  "a campaign that needs five windows of the account's budget",
  (it) => {
    it.effect(
      "dials every contact once, gets no 429, never pauses, and click-to-calls still go through",
      () =>
        Effect.gen(function* () {
          const run = yield* runBudgetCampaign(ciScale)
          console.log(describeRun(run))
          expect(run.wronglyDialled).toEqual([])
          expect(run.refused429).toBe(0)
          expect(run.busiestWindow).toBeLessThanOrEqual(ciScale.limit.requests)
          expect(run.statusesSeen).not.toContain("paused")
          expect(run.statusesSeen).toContain("completed")
          expect(run.clickToCallStatuses.length).toBeGreaterThan(0)
          expect(run.clickToCallStatuses.filter((s) => s !== 200)).toEqual([])
        }),
      120_000,
    )
  },
)
