// The embedded database on its own thread: it keeps what was written across a close and a reopen, a data folder
// opened early is taken over rather than opened twice, a folder it cannot open is a clear failure, and a long
// query leaves the gateway's own thread free.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { Reactivity } from "@effect/experimental"
import { PgClient } from "@effect/sql-pg"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Option, Redacted } from "effect"
import { openEmbeddedPostgres } from "../../src/store/EmbeddedPostgres.js"
import { openEarly, takeEarly } from "../../src/store/embeddedPostgresThread.js"

const folder = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(path.join(tmpdir(), "evg-embedded-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true })),
)

const clientOf = (url: string) =>
  PgClient.make({ url: Redacted.make(url), maxConnections: 1 }).pipe(Effect.provide(Reactivity.layer))

describe("the embedded database thread", () => {
  it.scoped(
    "keeps what was written when it is closed and opened again",
    () =>
      Effect.gen(function* () {
        const dir = path.join(yield* folder, "pgdata")
        yield* Effect.scoped(
          Effect.gen(function* () {
            const sql = yield* clientOf((yield* openEmbeddedPostgres(Option.some(dir))).url)
            yield* sql`CREATE TABLE kept (note text)`
            yield* sql`INSERT INTO kept VALUES ('written before the close')`
          }),
        )
        const sql = yield* clientOf((yield* openEmbeddedPostgres(Option.some(dir))).url)
        const rows = yield* sql<{ note: string }>`SELECT note FROM kept`
        expect(rows).toEqual([{ note: "written before the close" }])
      }),
    60_000,
  )

  it.scoped(
    "hands a data folder opened early to the database layer instead of opening it again",
    () =>
      Effect.gen(function* () {
        const dir = path.join(yield* folder, "pgdata")
        openEarly(dir)
        // A second early open of the same folder is the same thread.
        openEarly(path.join(dir, "..", "pgdata"))
        const sql = yield* clientOf((yield* openEmbeddedPostgres(Option.some(dir))).url)
        expect(takeEarly(dir)).toBeUndefined()
        expect(yield* sql<{ one: number }>`SELECT 1 AS one`).toEqual([{ one: 1 }])
      }),
    60_000,
  )

  it.scoped("fails with the reason when the data folder cannot be opened", () =>
    Effect.gen(function* () {
      const blocker = path.join(yield* folder, "not-a-folder")
      writeFileSync(blocker, "a file where the data folder should be")
      const exit = yield* Effect.exit(openEmbeddedPostgres(Option.some(path.join(blocker, "pgdata"))))
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit))
        expect(Cause.pretty(exit.cause)).toContain("Could not open the embedded database")
    }),
  )

  it.scoped(
    "runs a long query without stopping the gateway's timers",
    () =>
      Effect.gen(function* () {
        const sql = yield* clientOf((yield* openEmbeddedPostgres(Option.none())).url)
        let ticks = 0
        const timer = setInterval(() => ticks++, 10)
        const started = performance.now()
        yield* sql`SELECT count(*) FROM generate_series(1, 3000000) AS n WHERE n % 7 = 0`
        const elapsed = performance.now() - started
        clearInterval(timer)
        // On this thread the query would have stopped the timer for its whole length: not a single tick.
        expect(elapsed).toBeGreaterThan(100)
        expect(ticks).toBeGreaterThanOrEqual(Math.floor(elapsed / 10 / 4))
      }),
    60_000,
  )
})
