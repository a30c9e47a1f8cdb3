// With no Exotel credentials and no service URL configured, the gateway runs the simulator in-process and
// points its Exotel client at it; tests and benchmarks read its ledger through this service.
import { Context, Effect, Layer, Option } from "effect"
import { GatewayEnv } from "./config/Env.js"
import { Settings } from "./config/Settings.js"
import { upstreamMode } from "./config/settingsCatalog.js"
import {
  defaultSimulatorOptions,
  type ExotelSimulatorHandle,
  startExotelSimulator,
} from "./sim/exotel/ExotelSimulator.js"
import { ExotelFallbackUrl, simulatorAccount } from "./upstream/exotel/ExotelClient.js"

export class InProcessSimulator extends Context.Tag("InProcessSimulator")<
  InProcessSimulator,
  Option.Option<ExotelSimulatorHandle>
>() {}

export const InProcessSimulatorLive = Layer.scopedContext(
  Effect.gen(function* () {
    const env = yield* GatewayEnv
    const account = (yield* (yield* Settings).current).exotel
    const wanted =
      upstreamMode(account) === "simulator" &&
      Option.isNone(env.exotelServiceUrl) &&
      Option.isNone(account.serviceUrl)
    if (!wanted) return Context.make(InProcessSimulator, Option.none())
    const simulator = yield* startExotelSimulator(
      defaultSimulatorOptions(simulatorAccount, {
        rateLimit: { requests: env.simulatorRateLimitPerMinute, windowMs: 60_000 },
      }),
    )
    yield* Effect.logInfo("Exotel simulator started in-process").pipe(
      Effect.annotateLogs({ url: simulator.url }),
    )
    return Context.make(InProcessSimulator, Option.some(simulator)).pipe(
      Context.add(ExotelFallbackUrl, Option.some(simulator.url)),
    )
  }),
)
