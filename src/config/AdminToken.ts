// The admin bearer token: GATEWAY_ADMIN_TOKEN, or one generated at first start into DATA_DIR (mode 0600).
import { Context, Effect, Layer, Option, type Redacted } from "effect"
import { GatewayEnv } from "./Env.js"
import { readOrCreateLocalSecretFile } from "./localSecrets.js"

export class AdminToken extends Context.Tag("AdminToken")<AdminToken, Redacted.Redacted>() {}

export const AdminTokenLive = Layer.effect(
  AdminToken,
  Effect.gen(function* () {
    const env = yield* GatewayEnv
    if (Option.isSome(env.adminToken)) return env.adminToken.value
    const stored = yield* readOrCreateLocalSecretFile(env.dataDir, "admin-token", "evg_admin_")
    // The path, never the token: logs are read by more people than admins.
    yield* Effect.logInfo(
      stored.created ? "Generated an admin token" : "Using the admin token stored in the data folder",
    ).pipe(Effect.annotateLogs({ adminTokenFile: stored.path }))
    return stored.value
  }),
)
