// Runs the schema migrations at start; every later table is a new numbered file here.
import { NodeContext } from "@effect/platform-node"
import { Migrator } from "@effect/sql"
import { PgMigrator } from "@effect/sql-pg"
import { Layer } from "effect"
import foundation from "./migrations/0001_foundation.js"
import messaging from "./migrations/0002_messaging.js"
import voiceSessions from "./migrations/0003_voice_sessions.js"
import voiceOrders from "./migrations/0007_voice_orders.js"

export const migrations = Migrator.fromRecord({
  "0001_foundation": foundation,
  "0002_messaging": messaging,
  "0003_voice_sessions": voiceSessions,
  // 0004–0006 are reserved for other branches. The migrator only runs ids above the latest applied one: a
  // database that has already run a higher id (0008 on main) never runs a lower one added later.
  "0007_voice_orders": voiceOrders,
})

export const MigrationsLive = PgMigrator.layer({ loader: migrations }).pipe(Layer.provide(NodeContext.layer))
