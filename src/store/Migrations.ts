// Runs the schema migrations at start; every later table is a new numbered file here.
import { NodeContext } from "@effect/platform-node"
import { Migrator } from "@effect/sql"
import { PgMigrator } from "@effect/sql-pg"
import { Layer } from "effect"
import foundation from "./migrations/0001_foundation.js"
import messaging from "./migrations/0002_messaging.js"
import voiceSessions from "./migrations/0003_voice_sessions.js"
import cqa from "./migrations/0006_cqa.js"

export const migrations = Migrator.fromRecord({
  "0001_foundation": foundation,
  "0002_messaging": messaging,
  "0003_voice_sessions": voiceSessions,
  // 0004 and 0005 are reserved for work on other branches. The migrator skips ids below the latest applied,
  // so a database that ran 0006 before they landed would never run them: merge them before any deploy.
  "0006_cqa": cqa,
})

export const MigrationsLive = PgMigrator.layer({ loader: migrations }).pipe(Layer.provide(NodeContext.layer))
