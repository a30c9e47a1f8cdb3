// Agents over HTTP: the agents part of the Campaigns service on the decoded request.
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { makeAgentsCore } from "../../services/campaignAgents.js"
import { GatewayApi } from "../GatewayApi.js"

export const AgentsHandlersLive = HttpApiBuilder.group(GatewayApi, "agents", (handlers) =>
  Effect.map(makeAgentsCore, (core) =>
    handlers
      .handle("create", ({ payload }) => core.createAgent(payload))
      .handle("list", ({ urlParams }) => core.listAgents(urlParams))
      .handle("setStatus", ({ path, payload }) => core.setAgentStatus(path.id, payload)),
  ),
)
