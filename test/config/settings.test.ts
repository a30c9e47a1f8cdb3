import { mkdtempSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import type { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Redacted, Schedule } from "effect"
import { AdminToken } from "../../src/config/AdminToken.js"
import { GatewayEnv, makeGatewayEnv } from "../../src/config/Env.js"
import { Settings } from "../../src/config/Settings.js"
import { CoreLive } from "../../src/gateway.js"
import type { DatabaseTarget } from "../../src/store/Database.js"
import { serverUrl, testDatabaseTarget } from "../support/testDatabase.js"

const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(path.join(tmpdir(), "evg-settings-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true })),
)

/** A database that outlives one gateway: the test's server database, or an embedded one on disk. */
const durableTarget = (dir: string) =>
  Option.isSome(serverUrl)
    ? testDatabaseTarget
    : Effect.succeed<DatabaseTarget>({ _tag: "Embedded", dataDir: Option.some(path.join(dir, "pgdata")) })

const runGateway = <A, E>(
  target: DatabaseTarget,
  env: ReturnType<typeof makeGatewayEnv>,
  use: Effect.Effect<A, E, Settings | SqlClient.SqlClient | AdminToken>,
) =>
  Effect.scoped(
    Effect.gen(function* () {
      const context = yield* Layer.build(CoreLive(target).pipe(Layer.provide(Layer.succeed(GatewayEnv, env))))
      return yield* Effect.provide(use, context)
    }),
  )

describe("settings", () => {
  it.live(
    "survive a restart, and the environment only seeds what the API has not changed",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const target = yield* durableTarget(dir)
        const env = makeGatewayEnv({
          dataDir: dir,
          exotelApiKey: Option.some(Redacted.make("env-key-0000")),
          exotelApiToken: Option.some(Redacted.make("env-token-1111")),
          exotelAccountSid: Option.some("from-env"),
        })
        yield* runGateway(
          target,
          env,
          Effect.gen(function* () {
            const settings = yield* Settings
            const seeded = yield* settings.current
            expect(Option.map(seeded.exotel.apiKey, Redacted.value)).toEqual(Option.some("env-key-0000"))
            yield* settings.updateAccount({ accountSid: "from-api" })
            yield* settings.updateTiming({ ...seeded.timing, dndStart: "22:30", holidays: ["2026-12-25"] })
          }),
        )
        const after = yield* runGateway(
          target,
          env,
          Effect.flatMap(Settings, (s) => s.current),
        )
        expect(after.exotel.accountSid).toEqual(Option.some("from-api"))
        expect(Option.map(after.exotel.apiToken, Redacted.value)).toEqual(Option.some("env-token-1111"))
        expect(after.timing.dndStart).toBe("22:30")
        expect(after.timing.holidays).toEqual(["2026-12-25"])
      }).pipe(Effect.scoped),
    120_000,
  )

  it.live(
    "generate a secret key and an admin token once, readable by the owner only",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const target = yield* durableTarget(dir)
        const env = makeGatewayEnv({ dataDir: dir })
        const first = yield* runGateway(target, env, AdminToken)
        const second = yield* runGateway(target, env, AdminToken)
        expect(Redacted.value(first)).toBe(Redacted.value(second))
        for (const file of ["admin-token", "secret.key"]) {
          expect(statSync(path.join(dir, file)).mode & 0o777).toBe(0o600)
        }
      }).pipe(Effect.scoped),
    120_000,
  )

  it.live.skipIf(Option.isNone(serverUrl))(
    "reach every gateway sharing a server database, without a restart",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const target = yield* testDatabaseTarget
        const env = makeGatewayEnv({ dataDir: dir })
        const other = yield* Layer.build(CoreLive(target).pipe(Layer.provide(Layer.succeed(GatewayEnv, env))))
        yield* runGateway(
          target,
          env,
          Effect.flatMap(Settings, (s) => s.setFeature("autoDialerEnabled", false)),
        )
        const seen = yield* Effect.flatMap(Settings, (s) => s.current).pipe(
          Effect.provide(other),
          Effect.filterOrFail((s) => !s.features.autoDialerEnabled),
          Effect.retry(Schedule.spaced("50 millis")),
          Effect.timeout("5 seconds"),
        )
        expect(seen.features.autoDialerEnabled).toBe(false)
      }).pipe(Effect.scoped),
    60_000,
  )
})
