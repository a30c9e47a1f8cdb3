// The agents who take campaign calls: created, listed and set free or busy. A change wakes their campaign's
// runner, which paces on them. Part of the Campaigns service; the /agents endpoints call it too.
import { Clock, Effect, Option } from "effect"
import { CampaignRunners } from "../actors/CampaignRunners.js"
import type { AgentCreate, AgentStatusChange, AgentsQuery, AgentView } from "../api/agents.js"
import { newId } from "../config/callbackUrls.js"
import { NotFound } from "../domain/errors.js"
import { type AgentRecord, AgentsRepo } from "../store/AgentsRepo.js"
import { CampaignsRepo } from "../store/CampaignsRepo.js"

const agentView = (a: AgentRecord): typeof AgentView.Type => ({
  id: a.id,
  name: a.name,
  phone: a.phone,
  status: a.status,
  campaignId: a.campaignId,
  currentCallId: a.currentCallId,
  updatedAt: a.updatedAt.toISOString(),
})

/** The agents, on input already decoded (the HTTP layer decodes it itself). */
export const makeAgentsCore = Effect.gen(function* () {
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

  const createAgent = (payload: typeof AgentCreate.Type) =>
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
      return agentView(agent)
    })

  const listAgents = (query: typeof AgentsQuery.Type) =>
    Effect.map(agents.list(query.campaignId), (all) => ({ agents: all.map(agentView) }))

  const setAgentStatus = (id: string, change: typeof AgentStatusChange.Type) =>
    Effect.gen(function* () {
      yield* campaignExists(change.campaignId)
      const updated = yield* agents.update(id, change, new Date(yield* Clock.currentTimeMillis))
      if (Option.isNone(updated)) return yield* new NotFound({ message: `No agent ${JSON.stringify(id)}` })
      yield* wake(updated.value.campaignId)
      return agentView(updated.value)
    })

  return { createAgent, listAgents, setAgentStatus }
})
