// The campaigns' share of the Exotel rate budget over the last minute: the active campaigns, and any other that
// still made requests in the window (one paused a few seconds ago spent its share all the same).
import { Clock, Effect } from "effect"
import type { CampaignsRateBudget } from "../api/campaigns.js"
import { Settings } from "../config/Settings.js"
import { budgetShares } from "../policy/budgetShares.js"
import { CampaignsRepo } from "../store/CampaignsRepo.js"
import { ExotelRequestsRepo } from "../store/ExotelRequestsRepo.js"

/** Exotel's window (src/upstream/exotel/RateBudget.ts counts the account's limit over one minute). */
const windowMs = 60_000

export const makeCampaignRateBudget = Effect.gen(function* () {
  const settings = yield* Settings
  const campaigns = yield* CampaignsRepo
  const requests = yield* ExotelRequestsRepo
  return Effect.gen(function* (): Effect.fn.Return<typeof CampaignsRateBudget.Type> {
    const now = yield* Clock.currentTimeMillis
    const recent = yield* requests.since(new Date(now - windowMs))
    const all = yield* campaigns.list
    const limit = (yield* settings.current).exotel.rateLimitPerMinute
    const counted = new Map(recent.byCampaign.map((c) => [c.campaignId, c.requests]))
    const shown = all.filter((c) => c.status === "active" || counted.has(c.id))
    const shares = budgetShares(
      shown.map((c) => ({
        campaignId: c.id,
        name: c.name,
        status: c.status,
        requests: counted.get(c.id) ?? 0,
      })),
      recent.otherCalls,
      limit,
    )
    return { at: new Date(now).toISOString(), windowSeconds: windowMs / 1000, ...shares }
  })
})
