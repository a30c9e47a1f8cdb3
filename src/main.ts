// Runs the gateway from the environment: embedded database and simulators unless configured otherwise.
import { NodeRuntime } from "@effect/platform-node"
import { Effect, Layer, Logger, LogLevel, Option } from "effect"
import { envConfig, GatewayEnv, type GatewayEnvShape } from "./config/Env.js"
import { SimulatedDemoLive } from "./demo/SimulatedDemo.js"
import { GatewayLive } from "./gateway.js"
import { SimulatedCalleesLive } from "./sim/streamCaller/SimulatedCallees.js"
import { targetFromEnv } from "./store/Database.js"
import { simulatorAccount } from "./upstream/exotel/ExotelClient.js"

const logLevels: Record<string, LogLevel.LogLevel> = {
  debug: LogLevel.Debug,
  info: LogLevel.Info,
  warn: LogLevel.Warning,
  error: LogLevel.Error,
}

/**
 * With no Exotel account and no service URL configured, `npm start` runs against the in-process simulator, whose
 * account owns an ExoPhone: it is seeded as the default, so calls and SMS work on a fresh machine. Like every
 * seed it is written only while the setting is unset; an operator who configures Exotel sets their own.
 */
const withSimulatedExoPhone = (env: GatewayEnvShape): GatewayEnvShape =>
  Option.isNone(env.defaultExoPhone) &&
  Option.isNone(env.exotelServiceUrl) &&
  Option.isNone(env.exotelApiKey) &&
  Option.isNone(env.exotelAccountSid)
    ? { ...env, defaultExoPhone: Option.some(simulatorAccount.exoPhone) }
    : env

const program = Effect.gen(function* () {
  const env = yield* GatewayEnv
  const target = yield* targetFromEnv
  yield* Layer.launch(
    // Streamed calls that reach the in-process Exotel simulator are answered by simulated callees.
    Layer.provideMerge(SimulatedDemoLive, GatewayLive(target).pipe(Layer.provide(SimulatedCalleesLive))).pipe(
      Layer.tap(() =>
        Effect.logInfo("Gateway listening").pipe(
          Effect.annotateLogs({
            url: `http://${env.host}:${env.port}/api/exotel`,
            docs: `http://${env.host}:${env.port}/api/docs`,
            console: `http://${env.host}:${env.port}/console`,
            database: target._tag === "Server" ? "postgres" : "embedded",
            dataDir: target._tag === "Embedded" ? Option.getOrNull(target.dataDir) : null,
          }),
        ),
      ),
    ),
  )
}).pipe(
  Effect.provide(Layer.effect(GatewayEnv, Effect.map(envConfig, withSimulatedExoPhone))),
  Effect.provide(Logger.json),
  Logger.withMinimumLogLevel(logLevels[(process.env.LOG_LEVEL ?? "info").toLowerCase()] ?? LogLevel.Info),
)

NodeRuntime.runMain(program, { disablePrettyLogger: true })
