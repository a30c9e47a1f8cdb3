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
// Requests the parser refuses (a URL past the 16 KiB header limit, bytes that are not HTTP) never reach the router.
// Node's own answer to them is an empty 400 or 431 and a socket destroyed at once, which a client still sending
// reads as a reset (Node 24 did, under the fuzz test). They get JSON that says what was wrong, the socket is
// half-closed after it, and what the client still sends is read and dropped until it closes too.
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

const parserRefusal = (code: string | undefined) =>
  code === "HPE_HEADER_OVERFLOW"
    ? {
        status: 431,
        statusText: "Request Header Fields Too Large",
        body: {
          _tag: "RequestHeadersTooLarge",
          message:
            "The request's line and headers are larger than the 16 KiB the gateway reads; a long query belongs in a body",
        },
      }
    : {
        status: 400,
        statusText: "Bad Request",
        body: {
          _tag: "BadRequest",
          message: `The request is not HTTP the gateway can read (${code ?? "unreadable"})`,
        },
      }

/** How long a refused client may go on sending before its socket is closed from this side too. */
const drainMs = 2_000

const answerClientError = (error: Error & { readonly code?: string }, socket: Duplex) => {
  // A response already under way on this socket (its next request is what failed to parse) must not be followed
  // by another: the check Node's own handler makes, on the same internal field.
  const inFlight = (socket as Duplex & { readonly _httpMessage?: { readonly headersSent?: boolean } })
    ._httpMessage
  if (error.code === "ECONNRESET" || !socket.writable || inFlight?.headersSent === true) {
    socket.destroy()
    return
  }
  const refusal = parserRefusal(error.code)
  const body = JSON.stringify(refusal.body)
  socket.on("error", () => socket.destroy())
  socket.resume()
  socket.end(
    `HTTP/1.1 ${refusal.status} ${refusal.statusText}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  )
  setTimeout(() => socket.destroy(), drainMs).unref()
}

/**
 * A server whose claimed upgrade paths are handled before, and instead of, its other upgrade listeners, whose
 * requests reach its listeners with a body of known size, and whose parser's refusals are answered in JSON.
 */
class GatewayServer extends Server {
  readonly claimed = new Map<string, UpgradeHandler>()
  readonly gates = new Set<UpgradeGate>()
  unsizedBodyCap: UnsizedBodyCap = () => largestBodyBytes

  constructor() {
    super()
    this.on("clientError", answerClientError)
  }

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
