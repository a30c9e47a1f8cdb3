// GET /health: answers from memory and one cheap query, so it stays fast when everything else is slow.
import { HttpApiBuilder } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"
import { HealthUnavailable } from "../../api/health.js"
import { Settings } from "../../config/Settings.js"
import { upstreamBaseUrl, upstreamMode } from "../../config/settingsCatalog.js"
import { DatabaseInfo } from "../../store/Database.js"
import { GatewayApi } from "../GatewayApi.js"

export const pingDatabase = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const started = performance.now()
  yield* sql`SELECT 1`.pipe(
    Effect.timeoutFail({ duration: "2 seconds", onTimeout: () => new Error("timed out after 2 s") }),
  )
  return performance.now() - started
})

export const HealthHandlersLive = HttpApiBuilder.group(GatewayApi, "health", (handlers) =>
  Effect.gen(function* () {
    const settings = yield* Settings
    const database = yield* DatabaseInfo
    const sql = yield* SqlClient.SqlClient
    return handlers.handle("health", () =>
      Effect.gen(function* () {
        const current = yield* settings.current
        yield* pingDatabase.pipe(
          Effect.provideService(SqlClient.SqlClient, sql),
          Effect.mapError(
            (error) =>
              new HealthUnavailable({
                status: "unavailable",
                reason: `database unreachable: ${error.message}`,
                database: database.mode,
                upstream: upstreamMode(current.exotel),
              }),
          ),
        )
        return {
          enabled: current.enabled,
          features: current.features,
          status: "ok" as const,
          serviceUrl: Option.getOrNull(upstreamBaseUrl(current.exotel)),
          database: database.mode,
          upstream: upstreamMode(current.exotel),
        }
      }),
    )
  }),
)
