// The dump GatewayTest starts from: migrated to the latest migration, kept under a name that says what it
// depends on, and the same dump for every caller in the process.

import { expect, it } from "@effect/vitest"
import { PGlite } from "@electric-sql/pglite"
import { Effect } from "effect"
import { migrations } from "../../src/store/Migrations.js"
import { initialisedDataFolder, snapshotFile } from "../../src/testing/databaseSnapshot.js"

it.live(
  "holds every migration, is kept under the PGlite version and the migrations' digest, and is made once",
  () =>
    Effect.gen(function* () {
      const dump = yield* initialisedDataFolder
      expect(yield* initialisedDataFolder).toBe(dump)
      expect(snapshotFile()).toMatch(/exotel-voice-gateway-pgdata-0\.5\.14-[0-9a-f]{16}\.tar$/)
      const applied = yield* Effect.acquireUseRelease(
        Effect.promise(() => PGlite.create({ loadDataDir: dump })),
        (db) =>
          Effect.promise(() =>
            db.query<{ name: string }>("SELECT name FROM effect_sql_migrations ORDER BY migration_id"),
          ),
        (db) => Effect.promise(() => db.close()),
      )
      const known = yield* Effect.orDie(migrations)
      expect(applied.rows.map((r) => r.name)).toEqual(known.map(([, name]) => name))
      expect(known.length).toBeGreaterThanOrEqual(8)
    }),
  60_000,
)
