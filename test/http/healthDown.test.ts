import { Reactivity } from "@effect/experimental"
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { serverUrl } from "../support/testDatabase.js"
import { adminToken, clientWith, TestGatewayLive } from "../support/testGateway.js"

// Only a server can be taken away from under a running gateway; an embedded database lives in its process.
describe.skipIf(Option.isNone(serverUrl))("GET /health with the database gone", () => {
  layer(TestGatewayLive(), { timeout: 60_000 })("health", (it) => {
    it.effect("answers 503 with a reason, and the rest of the API answers 503, not 500", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const [row] = yield* sql<{ name: string }>`SELECT current_database() AS name`
        const name = row?.name ?? ""
        const admin = yield* PgClient.make({
          url: Redacted.make(Option.getOrElse(serverUrl, () => "")),
          maxConnections: 1,
        }).pipe(Effect.provide(Reactivity.layer))
        yield* admin.unsafe(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`)
        yield* admin.unsafe(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`,
        )

        const response = yield* (yield* clientWith(undefined)).get("/api/exotel/health")
        expect(response.status).toBe(503)
        expect(yield* response.json).toMatchObject({
          _tag: "HealthUnavailable",
          status: "unavailable",
          database: "postgres",
          reason: expect.stringContaining("database unreachable"),
        })
        const listing = yield* (yield* clientWith(adminToken)).get("/api/exotel/api-keys")
        expect(listing.status).toBe(503)
        expect(yield* listing.json).toMatchObject({ _tag: "ServiceUnavailable" })
        yield* admin.unsafe(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)
      }).pipe(Effect.scoped),
    )
  })
})
