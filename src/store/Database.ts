// The one SqlClient of the gateway: a PostgreSQL server when DATABASE_URL is set, else embedded PGlite.
import path from "node:path"
import { PgClient } from "@effect/sql-pg"
import { Context, Effect, Layer, Option, Redacted, String as Str } from "effect"
import { GatewayEnv } from "../config/Env.js"
import { type EmbeddedPostgres, openEmbeddedPostgres } from "./EmbeddedPostgres.js"

export type DatabaseMode = "embedded" | "postgres"

export type DatabaseTarget =
  | { readonly _tag: "Server"; readonly url: Redacted.Redacted }
  /** `dataDir` none: a fresh database in memory, gone with the process; `snapshot`: a dumped data folder to start from. */
  | {
      readonly _tag: "Embedded"
      readonly dataDir: Option.Option<string>
      readonly snapshot?: Option.Option<Blob>
    }

export class DatabaseInfo extends Context.Tag("DatabaseInfo")<
  DatabaseInfo,
  { readonly mode: DatabaseMode }
>() {}

const clientOptions = {
  transformResultNames: Str.snakeToCamel,
  transformQueryNames: Str.camelToSnake,
  applicationName: "exotel-voice-gateway",
} as const

/** The client of an open embedded database: one connection, since PGlite has one backend session. */
export const embeddedClientLayer = (embedded: EmbeddedPostgres) =>
  Layer.merge(
    PgClient.layer({ ...clientOptions, url: Redacted.make(embedded.url), maxConnections: 1 }),
    Layer.succeed(DatabaseInfo, { mode: "embedded" }),
  )

export const layerForTarget = (target: DatabaseTarget) =>
  Layer.unwrapScoped(
    Effect.gen(function* () {
      if (target._tag === "Server") {
        return Layer.merge(
          PgClient.layer({ ...clientOptions, url: target.url, maxConnections: 10 }),
          Layer.succeed(DatabaseInfo, { mode: "postgres" }),
        )
      }
      return embeddedClientLayer(yield* openEmbeddedPostgres(target.dataDir, target.snapshot))
    }),
  )

export const targetFromEnv = Effect.map(
  GatewayEnv,
  (env): DatabaseTarget =>
    Option.match(env.databaseUrl, {
      onSome: (url) => ({ _tag: "Server", url }),
      onNone: () => ({ _tag: "Embedded", dataDir: Option.some(path.join(env.dataDir, "pgdata")) }),
    }),
)

export const DatabaseLive = Layer.unwrapEffect(Effect.map(targetFromEnv, layerForTarget))
