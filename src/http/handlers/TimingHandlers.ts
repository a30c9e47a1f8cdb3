// GET /timing/check: the timing policy applied to the clock and the live timing settings.
import { HttpApiBuilder } from "@effect/platform"
import { Clock, Effect } from "effect"
import { Settings } from "../../config/Settings.js"
import { checkTiming } from "../../policy/timing/decide.js"
import { GatewayApi } from "../GatewayApi.js"

export const TimingHandlersLive = HttpApiBuilder.group(GatewayApi, "timing", (handlers) =>
  Effect.gen(function* () {
    const settings = yield* Settings
    return handlers.handle("check", ({ urlParams }) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const current = yield* settings.current
        const decision = checkTiming(now, current.timing, urlParams.purpose, urlParams.channel ?? "call")
        return {
          ...decision,
          nextAvailableTime:
            decision.nextAvailableTime === null ? null : new Date(decision.nextAvailableTime).toISOString(),
        }
      }),
    )
  }),
)
