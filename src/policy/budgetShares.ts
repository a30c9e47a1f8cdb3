// Each campaign's share of the Exotel account's per-minute limit, from the requests it made in the last minute.
// A limit of 0 means no budget is kept (src/policy/rateBudget.ts): then there is no share to speak of.
import { ratio } from "./ratios.js"

export interface CampaignRequests {
  readonly campaignId: string
  readonly requests: number
}

export interface BudgetShares<C extends CampaignRequests> {
  readonly limitPerMinute: number
  readonly campaigns: ReadonlyArray<C & { readonly share: number | null }>
  readonly used: { readonly campaigns: number; readonly otherCalls: number; readonly total: number }
  /** Of the limit, what the counted requests left; null without a budget. */
  readonly remaining: number | null
}

export const budgetShares = <C extends CampaignRequests>(
  campaigns: ReadonlyArray<C>,
  otherCalls: number,
  limitPerMinute: number,
): BudgetShares<C> => {
  const byCampaigns = campaigns.reduce((sum, c) => sum + c.requests, 0)
  const total = byCampaigns + otherCalls
  return {
    limitPerMinute,
    campaigns: campaigns.map((c) => ({
      ...c,
      share: ratio(c.requests, limitPerMinute),
    })),
    used: { campaigns: byCampaigns, otherCalls, total },
    remaining: limitPerMinute === 0 ? null : Math.max(0, limitPerMinute - total),
  }
}
