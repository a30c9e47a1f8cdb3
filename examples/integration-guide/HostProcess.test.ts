// Step 1 of the Integration Guide, "Initialize Module": in an Effect backend the gateway is a layer, configured
// from the same environment `npm start` reads (README, "Configuration"). A backend provides it once, at its
// edge; here the environment is a ConfigProvider, so the test needs no variables of its own process.
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import path from "node:path"
import { expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Logger, LogLevel } from "effect"
import { Calls, GatewayFromConfig } from "exotel-voice-gateway"

const dataFolder = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(path.join(tmpdir(), "order-service-gateway-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true })),
)

const freePort = Effect.async<number>((resume) => {
  const probe = createServer()
  probe.listen(0, "127.0.0.1", () => {
    const address = probe.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    probe.close(() => resume(Effect.succeed(port)))
  })
})

it.live(
  "1. the whole gateway runs in the host process from its configuration: database, upstream, HTTP server",
  () =>
    Effect.gen(function* () {
      const dataDir = yield* dataFolder
      const port = yield* freePort
      const environment = ConfigProvider.fromMap(
        new Map([
          ["PORT", String(port)],
          ["DATA_DIR", dataDir],
          ["EXOTEL_DEFAULT_EXOPHONE", "08040000000"],
          ["SHUTDOWN_GRACE_SECONDS", "0"],
        ]),
      )
      const gateway = GatewayFromConfig.pipe(
        Layer.provide(Layer.setConfigProvider(environment)),
        Layer.provide(Logger.minimumLogLevel(LogLevel.Warning)),
      )
      const call = yield* Effect.provide(
        Effect.flatMap(Calls, (calls) =>
          calls.clickToCall({ agentPhone: "+919876543210", customerPhone: "+919123456789" }),
        ),
        yield* Layer.build(gateway),
      )
      expect(call.status).toBe("initiated")
      // No DATABASE_URL: the embedded database lives in DATA_DIR, with the admin token beside it.
      expect(existsSync(path.join(dataDir, "pgdata"))).toBe(true)
      expect(existsSync(path.join(dataDir, "admin-token"))).toBe(true)
    }).pipe(Effect.scoped),
  120_000,
)
