// Scheduled calls over HTTP: the ScheduledCalls service on the decoded request.
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { makeScheduledCallsCore } from "../../services/ScheduledCalls.js"
import { makeUpcomingScheduledCalls } from "../../services/upcomingScheduledCalls.js"
import { GatewayApi } from "../GatewayApi.js"

export const ScheduledCallsHandlersLive = HttpApiBuilder.group(GatewayApi, "scheduledCalls", (handlers) =>
  Effect.map(Effect.zip(makeScheduledCallsCore, makeUpcomingScheduledCalls), ([core, upcoming]) =>
    handlers
      .handle("upcoming", ({ urlParams }) => upcoming(urlParams.limit))
      .handle("schedule", ({ payload }) => core.schedule(payload))
      .handle("listPending", ({ urlParams }) => core.listPending(urlParams))
      .handle("get", ({ path }) => core.get(path.id))
      .handle("cancel", ({ path }) => core.cancel(path.id))
      .handle("stats", ({ urlParams }) => core.stats(urlParams)),
  ),
)
