// The database a test runs against: a fresh database on the server TEST_DATABASE_URL names, else a fresh
// embedded PGlite in memory. Either way it is the test's own and is gone when its scope closes.
import { randomBytes } from "node:crypto"
import { readFileSync } from "node:fs"
import { Reactivity } from "@effect/experimental"
import { PgClient } from "@effect/sql-pg"
import { Effect, Option, Redacted, type Scope } from "effect"
import { inject } from "vitest"
import type { DatabaseTarget } from "../../src/store/Database.js"

export const serverUrl = Option.fromNullable(process.env.TEST_DATABASE_URL).pipe(
  Option.filter((s) => s.length > 0),
)

export const databaseKind = Option.isSome(serverUrl) ? "postgres" : "embedded"

const withDatabase = (url: string, database: string) => {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

/** A fresh server database, dropped when the scope closes. */
const freshServerDatabase = (url: string) =>
  Effect.gen(function* () {
    const name = `evg_test_${randomBytes(6).toString("hex")}`
    // Acquired before the drop's finalizer, so it is closed after the drop has run.
    const admin = yield* PgClient.make({ url: Redacted.make(url), maxConnections: 1 }).pipe(
      Effect.provide(Reactivity.layer),
      Effect.orDie,
    )
    yield* admin.unsafe(`CREATE DATABASE ${name}`).pipe(Effect.orDie)
    yield* Effect.addFinalizer(() =>
      admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).pipe(Effect.ignore),
    )
    return Redacted.make(withDatabase(url, name))
  })

const snapshot = Effect.sync(() => {
  const file = inject("pgSnapshotFile")
  return file === undefined ? Option.none<Blob>() : Option.some(new Blob([readFileSync(file)]))
})

export const testDatabaseTarget: Effect.Effect<DatabaseTarget, never, Scope.Scope> = Option.match(serverUrl, {
  onSome: (url) =>
    Effect.map(freshServerDatabase(url), (dbUrl): DatabaseTarget => ({ _tag: "Server", url: dbUrl })),
  onNone: () =>
    Effect.map(
      snapshot,
      (blob): DatabaseTarget => ({ _tag: "Embedded", dataDir: Option.none(), snapshot: blob }),
    ),
})
