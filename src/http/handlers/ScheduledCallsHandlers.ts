// Scheduled calls over HTTP: the ScheduledCalls service on the decoded request.
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { makeScheduledCallsCore } from "../../services/ScheduledCalls.js"
import { GatewayApi } from "../GatewayApi.js"

export const ScheduledCallsHandlersLive = HttpApiBuilder.group(GatewayApi, "scheduledCalls", (handlers) =>
  Effect.map(makeScheduledCallsCore, (core) =>
    handlers
      .handle("schedule", ({ payload }) => core.schedule(payload))
      .handle("listPending", ({ urlParams }) => core.listPending(urlParams))
      .handle("get", ({ path }) => core.get(path.id))
      .handle("cancel", ({ path }) => core.cancel(path.id))
      .handle("stats", ({ urlParams }) => core.stats(urlParams)),
  ),
)
