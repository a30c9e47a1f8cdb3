// The gateway's Node HTTP server.
//
// Shutdown. Node's server.close() waits for every open connection, and a peer that opened a socket but never
// sent a request holds it until headersTimeout (a minute). Shutdown instead gives requests in flight a grace
// period and then cuts whatever is still open.
//
// Claimed upgrades. A WebSocket path may be claimed (UpgradeRoutes): its upgrade requests are handed straight
// to the claimant and never reach the router. The voice stream claims its path: each call's socket lives for
// the whole call, and the router's per-request machinery (middleware, spans, the platform's socket wrapper)
// cost several times what the stream itself costs to open and close.
import { IncomingMessage, Server } from "node:http"
import { Duplex } from "node:stream"
import { NodeHttpServer } from "@effect/platform-node"
import { Context, Duration, Effect, Layer, type Scope } from "effect"

export interface Listen {
  readonly port: number
  readonly host: string
}

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void

export class UpgradeRoutes extends Context.Tag("UpgradeRoutes")<
  UpgradeRoutes,
  {
    /** Upgrades to exactly this path go to `handler` for as long as the scope is open. */
    readonly claim: (path: string, handler: UpgradeHandler) => Effect.Effect<void, never, Scope.Scope>
  }
>() {}

const pathOf = (url: string | undefined) => {
  const raw = url ?? "/"
  const query = raw.indexOf("?")
  return query === -1 ? raw : raw.slice(0, query)
}

/** A server whose claimed upgrade paths are handled before, and instead of, its other upgrade listeners. */
class GatewayServer extends Server {
  readonly claimed = new Map<string, UpgradeHandler>()

  override emit(event: string, ...args: Array<unknown>): boolean {
    if (event === "upgrade" && this.claimed.size > 0) {
      const [request, socket, head] = args
      const handler = request instanceof IncomingMessage ? this.claimed.get(pathOf(request.url)) : undefined
      if (
        handler !== undefined &&
        request instanceof IncomingMessage &&
        socket instanceof Duplex &&
        Buffer.isBuffer(head)
      ) {
        handler(request, socket, head)
        return true
      }
    }
    return super.emit(event, ...args)
  }
}

export const NodeServerLive = (listen: Listen, grace: Duration.DurationInput) =>
  Layer.unwrapEffect(
    Effect.sync(() => {
      const server = new GatewayServer()
      // Built after the server, so released before it: the deadline is armed before close() starts waiting.
      const deadline = Layer.scopedDiscard(
        Effect.addFinalizer(() =>
          Effect.sync(() => {
            server.closeIdleConnections()
            setTimeout(() => server.closeAllConnections(), Duration.toMillis(grace)).unref()
          }),
        ),
      )
      const upgrades = Layer.succeed(UpgradeRoutes, {
        claim: (path, handler) =>
          Effect.acquireRelease(
            Effect.sync(() => server.claimed.set(path, handler)),
            () => Effect.sync(() => server.claimed.delete(path)),
          ),
      })
      return Layer.merge(deadline, upgrades).pipe(
        Layer.provideMerge(NodeHttpServer.layer(() => server, listen)),
      )
    }),
  )
