// How the gateway's layers fit together. main.ts runs this; tests and embedders build the same layers
// with their own database target and environment.
import { createServer } from "node:http"
import { HttpLayerRouter } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { AdminTokenLive } from "./config/AdminToken.js"
import { GatewayEnv } from "./config/Env.js"
import { SecretBoxLive } from "./config/SecretBox.js"
import { SettingsLive } from "./config/Settings.js"
import { RoutesLive } from "./http/Routes.js"
import { ApiKeysRepoLive } from "./store/ApiKeysRepo.js"
import { type DatabaseTarget, layerForTarget } from "./store/Database.js"
import { MigrationsLive } from "./store/Migrations.js"
import { VoiceLive } from "./voice.js"

/** The database, migrated before anyone reads it. */
export const StoreLive = (target: DatabaseTarget) =>
  MigrationsLive.pipe(Layer.provideMerge(layerForTarget(target)))

/** Everything but the HTTP server: store, settings, secrets, repositories. Needs GatewayEnv. */
export const CoreLive = (target: DatabaseTarget) =>
  VoiceLive.pipe(
    Layer.provideMerge(
      Layer.mergeAll(SettingsLive.pipe(Layer.provide(SecretBoxLive)), ApiKeysRepoLive, AdminTokenLive),
    ),
    Layer.provideMerge(StoreLive(target)),
  )

/** The routes served on whatever HttpServer is provided. */
export const ServeRoutesLive = HttpLayerRouter.serve(RoutesLive, {
  disableLogger: true,
  disableListenLog: true,
})

/** The HTTP server on the environment's HOST and PORT. */
export const HttpServerLive = Layer.unwrapEffect(
  Effect.map(GatewayEnv, (env) =>
    ServeRoutesLive.pipe(
      Layer.provide(NodeHttpServer.layer(createServer, { port: env.port, host: env.host })),
    ),
  ),
)

export const GatewayLive = (target: DatabaseTarget) =>
  HttpServerLive.pipe(Layer.provideMerge(CoreLive(target)))
