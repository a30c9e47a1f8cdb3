// The gateway's Node HTTP server. Node's server.close() waits for every open connection, and a peer that
// opened a socket but never sent a request holds it until headersTimeout (a minute). Shutdown instead
// gives requests in flight a grace period and then cuts whatever is still open.
import { createServer } from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import { Duration, Effect, Layer } from "effect"

export interface Listen {
  readonly port: number
  readonly host: string
}

export const NodeServerLive = (listen: Listen, grace: Duration.DurationInput) =>
  Layer.unwrapEffect(
    Effect.sync(() => {
      const server = createServer()
      // Built after the server, so released before it: the deadline is armed before close() starts waiting.
      const deadline = Layer.scopedDiscard(
        Effect.addFinalizer(() =>
          Effect.sync(() => {
            server.closeIdleConnections()
            setTimeout(() => server.closeAllConnections(), Duration.toMillis(grace)).unref()
          }),
        ),
      )
      return deadline.pipe(Layer.provideMerge(NodeHttpServer.layer(() => server, listen)))
    }),
  )
