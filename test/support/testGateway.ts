// The whole gateway in the test process: its own database, a temporary data folder, the HTTP server on a
// free loopback port, and an HttpClient pointed at it.
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { HttpClient, HttpClientRequest, HttpServer } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer, Option, Redacted, type Scope } from "effect"
import { GatewayEnv, type GatewayEnvShape, makeGatewayEnv } from "../../src/config/Env.js"
import { CoreLive, ServeRoutesLive } from "../../src/gateway.js"
import { NodeServerLive } from "../../src/http/NodeServer.js"
import type { DatabaseTarget } from "../../src/store/Database.js"
import { testDatabaseTarget } from "./testDatabase.js"

export const adminToken = "test-admin-token-0123456789abcdef"

/** The Basic credential test gateways give Exotel's dashboard flows (exotel-stream-auth-key / -token). */
export const streamAuth = { key: "test-stream-key", token: "test-stream-token-0123456789" } as const

export const temporaryDataDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(path.join(tmpdir(), "evg-data-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true })),
)

export const testEnvLayer = (overrides: Partial<GatewayEnvShape> = {}) =>
  Layer.scoped(
    GatewayEnv,
    Effect.map(temporaryDataDir, (dataDir) =>
      makeGatewayEnv({
        dataDir,
        adminToken: Option.some(Redacted.make(adminToken)),
        secretKey: Option.some(Redacted.make("test-secret-key")),
        streamAuthKey: Option.some(Redacted.make(streamAuth.key)),
        streamAuthToken: Option.some(Redacted.make(streamAuth.token)),
        ...overrides,
      }),
    ),
  )

/** `target`: the database to run on; by default a fresh one of the test's own. */
export const TestCoreLive = (
  overrides: Partial<GatewayEnvShape> = {},
  target: Effect.Effect<DatabaseTarget, never, Scope.Scope> = testDatabaseTarget,
) => Layer.unwrapScoped(Effect.map(target, CoreLive)).pipe(Layer.provideMerge(testEnvLayer(overrides)))

/**
 * The gateway's own Node server on a free loopback port, and an HttpClient whose relative URLs go to it (the
 * client @effect/platform-node's layerTest gives, on the server that serves the voice stream too).
 */
export const TestServerLive = HttpServer.layerTestClient.pipe(
  Layer.provide(NodeHttpClient.layerWithoutAgent),
  Layer.provide(NodeHttpClient.makeAgentLayer({ keepAlive: false })),
  Layer.provideMerge(NodeServerLive({ port: 0, host: "127.0.0.1" }, 0)),
)

export const TestGatewayLive = (overrides: Partial<GatewayEnvShape> = {}) =>
  ServeRoutesLive.pipe(Layer.provideMerge(TestServerLive), Layer.provideMerge(TestCoreLive(overrides)))

/** A client that sends the given bearer token (or none). */
export const clientWith = (token: string | undefined) =>
  Effect.map(HttpClient.HttpClient, (client) =>
    token === undefined ? client : client.pipe(HttpClient.mapRequest(HttpClientRequest.bearerToken(token))),
  )

export const asAdmin = clientWith(adminToken)
