// Agents: created, listed and set free or busy; a change wakes their campaign's runner, which paces on them.
import { HttpApiBuilder } from "@effect/platform"
import { Clock, Effect, Option } from "effect"
import { CampaignRunners } from "../../actors/CampaignRunners.js"
import { NotFound } from "../../domain/errors.js"
import { type AgentRecord, AgentsRepo } from "../../store/AgentsRepo.js"
import { CampaignsRepo } from "../../store/CampaignsRepo.js"
import { newId } from "../callbackUrls.js"
import { GatewayApi } from "../GatewayApi.js"

const view = (a: AgentRecord) => ({
  id: a.id,
  name: a.name,
  phone: a.phone,
  status: a.status,
  campaignId: a.campaignId,
  currentCallId: a.currentCallId,
  updatedAt: a.updatedAt.toISOString(),
})

export const AgentsHandlersLive = HttpApiBuilder.group(GatewayApi, "agents", (handlers) =>
  Effect.gen(function* () {
    const agents = yield* AgentsRepo
    const campaigns = yield* CampaignsRepo
    const runners = yield* CampaignRunners

    const campaignExists = (id: string | null | undefined) =>
      id === null || id === undefined
        ? Effect.void
        : Effect.flatMap(campaigns.find(id), (found) =>
            Option.isNone(found)
              ? Effect.fail(new NotFound({ message: `No campaign ${JSON.stringify(id)}` }))
              : Effect.void,
          )

    const wake = (campaignId: string | null) => (campaignId === null ? Effect.void : runners.poke(campaignId))

    return handlers
      .handle("create", ({ payload }) =>
        Effect.gen(function* () {
          yield* campaignExists(payload.campaignId)
          const agent = yield* agents.create({
            id: newId("agt"),
            name: payload.name.trim(),
            phone: payload.phone,
            campaignId: payload.campaignId ?? null,
            now: new Date(yield* Clock.currentTimeMillis),
          })
          yield* wake(agent.campaignId)
          return view(agent)
        }),
      )
      .handle("list", ({ urlParams }) =>
        Effect.map(agents.list(urlParams.campaignId), (all) => ({ agents: all.map(view) })),
      )
      .handle("setStatus", ({ path, payload }) =>
        Effect.gen(function* () {
          yield* campaignExists(payload.campaignId)
          const now = new Date(yield* Clock.currentTimeMillis)
          const updated = yield* agents.update(path.id, payload, now)
          if (Option.isNone(updated))
            return yield* new NotFound({ message: `No agent ${JSON.stringify(path.id)}` })
          yield* wake(updated.value.campaignId)
          return view(updated.value)
        }),
      )
  }),
)
