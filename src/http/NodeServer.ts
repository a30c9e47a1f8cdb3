// The gateway's Node HTTP server.
//
// Shutdown. Node's server.close() waits for every open connection, and a peer that opened a socket but never
// sent a request holds it until headersTimeout (a minute). Shutdown instead gives requests in flight a grace
// period and then cuts whatever is still open.
//
// Claimed upgrades. A WebSocket path may be claimed (UpgradeRoutes): its upgrade requests are handed straight
// to the claimant and never reach the router. The voice stream claims its path: each call's socket lives for
// the whole call, and the router's per-request machinery (middleware, spans, the platform's socket wrapper)
// cost several times what the stream itself costs to open and close. A claimed upgrade first passes the gate
// (the per-address request rate), which may answer it instead.
//
// Bodies. A request whose body comes without a Content-Length is read before it reaches the router, up to the
// cap for its path (UnsizedBodies; the largest body any endpoint takes until one is set), so that the router's
// limits check a size, not a stream (requestBodies.ts).
import { IncomingMessage, Server, ServerResponse } from "node:http"
import { Duplex } from "node:stream"
import { NodeHttpServer } from "@effect/platform-node"
import { Context, Duration, Effect, Layer, type Scope } from "effect"
import {
  type UpgradeGate,
  type UpgradeHandler,
  type UpgradeRefusal,
  UpgradeRoutes,
} from "../stream/UpgradeRoutes.js"
import { largestBodyBytes } from "./bodyLimits.js"
import { withSizedBody } from "./requestBodies.js"

export interface Listen {
  readonly port: number
  readonly host: string
}

/** The most of a body without a Content-Length that is read for a request to this method and path. */
export type UnsizedBodyCap = (method: string, path: string) => number

const pathOf = (url: string | undefined) => {
  const raw = url ?? "/"
  const query = raw.indexOf("?")
  return query === -1 ? raw : raw.slice(0, query)
}

export class UnsizedBodies extends Context.Tag("UnsizedBodies")<
  UnsizedBodies,
  {
    /** Chunked bodies are read up to `cap` for as long as the scope is open. */
    readonly cap: (cap: UnsizedBodyCap) => Effect.Effect<void, never, Scope.Scope>
  }
>() {}

const refuse = (socket: Duplex, refusal: UpgradeRefusal) => {
  const body = JSON.stringify(refusal.body)
  const statusText = refusal.status === 429 ? "Too Many Requests" : "Refused"
  const headers = {
    ...refusal.headers,
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    connection: "close",
  }
  socket.end(
    `HTTP/1.1 ${refusal.status} ${statusText}\r\n${Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("")}\r\n${body}`,
  )
}

/**
 * A server whose claimed upgrade paths are handled before, and instead of, its other upgrade listeners, and
 * whose requests reach its listeners with a body of known size.
 */
class GatewayServer extends Server {
  readonly claimed = new Map<string, UpgradeHandler>()
  readonly gates = new Set<UpgradeGate>()
  unsizedBodyCap: UnsizedBodyCap = () => largestBodyBytes

  override emit(event: string, ...args: Array<unknown>): boolean {
    if (event === "request") {
      const [request, response] = args
      if (request instanceof IncomingMessage && response instanceof ServerResponse) {
        const cap = this.unsizedBodyCap(request.method ?? "GET", pathOf(request.url))
        withSizedBody(request, cap, (sized) => super.emit("request", sized, response))
        return true
      }
    }
    if (event === "upgrade" && this.claimed.size > 0) {
      const [request, socket, head] = args
      const handler = request instanceof IncomingMessage ? this.claimed.get(pathOf(request.url)) : undefined
      if (
        handler !== undefined &&
        request instanceof IncomingMessage &&
        socket instanceof Duplex &&
        Buffer.isBuffer(head)
      ) {
        for (const gate of this.gates) {
          const refusal = gate(request)
          if (refusal !== undefined) {
            refuse(socket, refusal)
            return true
          }
        }
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
        guard: (gate) =>
          Effect.acquireRelease(
            Effect.sync(() => server.gates.add(gate)),
            () => Effect.sync(() => server.gates.delete(gate)),
          ),
      })
      const bodies = Layer.succeed(UnsizedBodies, {
        cap: (cap) =>
          Effect.acquireRelease(
            Effect.sync(() => {
              server.unsizedBodyCap = cap
            }),
            () =>
              Effect.sync(() => {
                server.unsizedBodyCap = () => largestBodyBytes
              }),
          ),
      })
      return Layer.mergeAll(deadline, upgrades, bodies).pipe(
        Layer.provideMerge(NodeHttpServer.layer(() => server, listen)),
      )
    }),
  )
