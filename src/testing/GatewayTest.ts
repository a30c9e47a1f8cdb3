// The whole gateway inside a consumer's test: a fresh embedded PostgreSQL in memory (started from a dump of an
// initialised, migrated data folder, made once: databaseSnapshot.ts), the Exotel simulator in-process, the HTTP
// server on a free loopback port (Exotel's callbacks and the voice streams come back to it), and simulated
// phones to answer the voice flows; or, as an option, the Nerve simulator running them. Nothing to install,
// nothing left behind.
import { mkdtempSync, rmSync } from "node:fs"
import { type AddressInfo, createServer } from "node:net"
import { tmpdir } from "node:os"
import path from "node:path"
import { Effect, Layer, Logger, LogLevel, Option, Redacted } from "effect"
import { newCallbackToken } from "../config/callbackUrls.js"
import { GatewayEnv, makeGatewayEnv } from "../config/Env.js"
import { InboundLimits, withoutRateLimits } from "../config/InboundLimits.js"
import { Settings } from "../config/Settings.js"
import { makeVoiceConfig, VoiceConfig } from "../config/VoiceConfig.js"
import { type Features, featureNames } from "../domain/Features.js"
import { GatewayLive } from "../gateway.js"
import { InProcessSimulator } from "../inProcessSimulator.js"
import type { SimLedger } from "../sim/exotel/ledger.js"
import { initialisedDataFolder } from "./databaseSnapshot.js"
import { SimulatedNerve, startSimulatedNerve } from "./SimulatedNerve.js"
import { SimulatedPhonesLive } from "./SimulatedPhones.js"

const freePort = Effect.async<number>((resume) => {
  const probe = createServer()
  probe.listen(0, "127.0.0.1", () => {
    const { port } = probe.address() as AddressInfo
    probe.close(() => resume(Effect.succeed(port)))
  })
})

const temporaryFolder = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(path.join(tmpdir(), "exotel-gateway-test-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true })),
)

export interface GatewayTestOptions {
  /** The gateway's log level; warnings and errors by default. */
  readonly logLevel?: LogLevel.LogLevel
  /**
   * Who runs the voice flows. `"built-in"` (the default): the gateway itself, over the voice stream of a call
   * it places through the simulated Exotel, answered by SimulatedPhones. `"nerve"`: the NERVE_SYSTEM_URL mode,
   * where the gateway asks SimulatedNerve to place the call and follows its signed callbacks.
   */
  readonly voiceFlows?: "built-in" | "nerve"
  /** Feature flags to switch, as an operator would (all are on by default). */
  readonly features?: Partial<Features>
}

/** Switches the features given, once the gateway has started. */
const switchFeatures = (features: Partial<Features>) =>
  Layer.effectDiscard(
    Effect.flatMap(Settings, (settings) =>
      Effect.forEach(featureNames, (name) => {
        const enabled = features[name]
        return enabled === undefined ? Effect.void : settings.setFeature(name, enabled)
      }),
    ),
  )

/** The gateway's services, running in-process on their own database, with the simulators and phones. */
export const GatewayTest = (options: GatewayTestOptions = {}) =>
  Layer.unwrapScoped(
    Effect.gen(function* () {
      const port = yield* freePort
      const dataDir = yield* temporaryFolder
      const nerve = yield* startSimulatedNerve
      const base = `http://127.0.0.1:${port}`
      const env = makeGatewayEnv({
        port,
        host: "127.0.0.1",
        publicBaseUrl: base,
        dataDir,
        adminToken: Option.some(Redacted.make(newCallbackToken())),
        secretKey: Option.some(Redacted.make(newCallbackToken())),
        defaultExoPhone: Option.some("08040000000"),
        nerveSystemUrl: options.voiceFlows === "nerve" ? Option.some(nerve.url) : Option.none(),
        shutdownGraceSeconds: 0,
      })
      // Fixed here rather than read from the consumer's environment, as GatewayEnv is.
      const voice = makeVoiceConfig({ callbackSecret: Option.some(Redacted.make(nerve.secret)) })
      const snapshot = yield* initialisedDataFolder
      const gateway = switchFeatures(options.features ?? {}).pipe(
        Layer.provideMerge(
          GatewayLive({ _tag: "Embedded", dataDir: Option.none(), snapshot: Option.some(snapshot) }),
        ),
        Layer.provideMerge(SimulatedPhonesLive),
        Layer.provideMerge(Layer.succeed(SimulatedNerve, nerve.service)),
        Layer.provideMerge(Layer.succeed(GatewayEnv, env)),
        Layer.provide(Layer.succeed(VoiceConfig, voice)),
        // No request rate is limited in a consumer's test: it may run on the TestClock, on which a bucket never
        // refills, and the simulator's callbacks all come from one address.
        Layer.provide(Layer.succeed(InboundLimits, withoutRateLimits)),
      )
      return gateway.pipe(Layer.provide(Logger.minimumLogLevel(options.logLevel ?? LogLevel.Warning)))
    }),
  )

/** Every request the simulated Exotel received and every callback it sent, in order. */
export const simulatorLedger: Effect.Effect<SimLedger, never, InProcessSimulator> = Effect.flatMap(
  InProcessSimulator,
  Option.match({
    onNone: () => Effect.dieMessage("this gateway runs no in-process simulator"),
    onSome: (sim) => Effect.succeed(sim.ledger),
  }),
)
