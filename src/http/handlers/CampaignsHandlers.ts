// Campaigns over HTTP: the Campaigns service on the decoded request.
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { makeCampaignsCore } from "../../services/Campaigns.js"
import { makeCampaignRateBudget } from "../../services/campaignRateBudget.js"
import { GatewayApi } from "../GatewayApi.js"

export const CampaignsHandlersLive = HttpApiBuilder.group(GatewayApi, "campaigns", (handlers) =>
  Effect.map(Effect.zip(makeCampaignsCore, makeCampaignRateBudget), ([core, rateBudget]) =>
    handlers
      .handle("rateBudget", () => rateBudget)
      .handle("create", ({ payload }) => core.create(payload))
      .handle("list", () => core.list)
      .handle("get", ({ path }) => core.get(path.id))
      .handle("stats", ({ path }) => core.stats(path.id))
      .handle("pause", ({ path }) => core.pause(path.id))
      .handle("resume", ({ path }) => core.resume(path.id))
      .handle("cancel", ({ path }) => core.cancel(path.id))
      .handle("nextPreview", ({ path }) => core.nextPreview(path.id))
      .handle("decidePreview", ({ path, payload }) => core.decidePreview(path.id, payload)),
  ),
)
