// The campaigns' share of the Exotel account's per-minute request limit (GET /campaigns/rate-budget): a bar in
// each campaign card, and the account's total above them. The gateway counts the calls it recorded placing in
// the last minute; SMS and look-ups draw from the same budget and are not in these figures.
export interface RateBudget {
  readonly limitPerMinute: number
  readonly campaigns: ReadonlyArray<{ readonly campaignId: string; readonly requests: number }>
  readonly used: { readonly campaigns: number; readonly otherCalls: number; readonly total: number }
}

const percentOf = (requests: number, limit: number) => (limit === 0 ? 0 : (requests / limit) * 100)

export const BudgetTotal = ({ budget }: { budget: RateBudget }) => (
  <p class="hint" data-testid="budget-total">
    {budget.limitPerMinute === 0
      ? `Exotel: ${budget.used.total} calls placed in the last minute (no rate budget kept)`
      : `Exotel rate budget: ${budget.used.total} of ${budget.limitPerMinute} requests a minute used ` +
        `(campaigns ${budget.used.campaigns}, other calls ${budget.used.otherCalls})`}
  </p>
)

export const BudgetShare = ({ budget, campaignId }: { budget: RateBudget | null; campaignId: string }) => {
  if (budget === null) return null
  const requests = budget.campaigns.find((c) => c.campaignId === campaignId)?.requests ?? 0
  const percent = percentOf(requests, budget.limitPerMinute)
  return (
    <div class="budget-share" data-requests={requests}>
      <span>
        Exotel budget: {requests} / {budget.limitPerMinute} a minute ({percent.toFixed(1)}%)
      </span>
      <meter min={0} max={100} value={percent} aria-label="Share of the Exotel rate budget" />
    </div>
  )
}
