import { connect } from "node:net"
import { HttpServer, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, type Duration, Effect, Exit, Layer, Scope } from "effect"
import WebSocket from "ws"
import { NodeServerLive } from "../../src/http/NodeServer.js"
import { UpgradeRoutes } from "../../src/stream/UpgradeRoutes.js"
import { freePort } from "../support/voiceGateway.js"

// A server answering every request after `answerAfter`, built in a scope the test closes itself; `arrived`
// is told when a request reaches it.
const startServer = (port: number, answerAfter: Duration.DurationInput, arrived?: Deferred.Deferred<void>) =>
  Effect.gen(function* () {
    const scope = yield* Scope.make()
    const app = Effect.zipRight(
      arrived === undefined ? Effect.void : Deferred.succeed(arrived, undefined),
      Effect.as(Effect.sleep(answerAfter), HttpServerResponse.text("done")),
    )
    yield* Layer.buildWithScope(
      HttpServer.serve(app).pipe(Layer.provide(NodeServerLive({ port, host: "127.0.0.1" }, "1 second"))),
      scope,
    )
    return scope
  })

const silentSocket = (port: number) =>
  Effect.async<void>((resume) => {
    const socket = connect(port, "127.0.0.1", () => resume(Effect.void))
    socket.on("error", () => {})
  })

describe("NodeServerLive", () => {
  it.live("shutdown is not held by a peer that opened a socket and never sent a request", () =>
    Effect.gen(function* () {
      const port = yield* freePort
      const scope = yield* startServer(port, "0 millis")
      yield* silentSocket(port)
      const started = Date.now()
      yield* Scope.close(scope, Exit.void)
      // Node alone would wait for headersTimeout (60 s) here.
      expect(Date.now() - started).toBeLessThan(5_000)
    }),
  )

  it.live("a request in flight at shutdown still gets its answer within the grace period", () =>
    Effect.gen(function* () {
      const port = yield* freePort
      const arrived = yield* Deferred.make<void>()
      const scope = yield* startServer(port, "300 millis", arrived)
      const answer = yield* Deferred.make<string>()
      yield* Effect.promise(() => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())).pipe(
        Effect.flatMap((text) => Deferred.succeed(answer, text)),
        Effect.fork,
      )
      // Shut down only once the request is in flight, however slow the machine is.
      yield* Deferred.await(arrived)
      yield* Scope.close(scope, Exit.void)
      expect(yield* Deferred.await(answer)).toBe("done")
    }),
  )

  it.live("an upgrade to a claimed path goes to its claimant alone; other upgrades still reach the app", () =>
    Effect.gen(function* () {
      const port = yield* freePort
      const reachedApp: Array<string> = []
      const app = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
        Effect.sync(() => {
          reachedApp.push(request.url)
          return HttpServerResponse.text("from the app", { status: 404 })
        }),
      )
      const claimed = Layer.scopedDiscard(
        Effect.flatMap(UpgradeRoutes, (upgrades) =>
          upgrades.claim("/claimed", (_request, socket) => {
            socket.end("HTTP/1.1 418 I'm a teapot\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
          }),
        ),
      )
      yield* Layer.build(
        Layer.merge(HttpServer.serve(app), claimed).pipe(
          Layer.provide(NodeServerLive({ port, host: "127.0.0.1" }, "1 second")),
        ),
      )
      const statusOf = (path: string) =>
        Effect.async<number>((resume) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`)
          ws.on("unexpected-response", (_request, response) =>
            resume(Effect.succeed(response.statusCode ?? 0)),
          )
          ws.on("error", () => undefined)
        })
      expect(yield* statusOf("/claimed?callId=1")).toBe(418)
      expect(yield* statusOf("/elsewhere")).toBe(404)
      expect(reachedApp).toEqual(["/elsewhere"])
    }).pipe(Effect.scoped),
  )
})
