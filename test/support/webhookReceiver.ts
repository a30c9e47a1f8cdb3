// A loopback HTTP server that records every webhook POST it receives; answers 500 to the first `failFirst`.
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { Effect } from "effect"

export interface ReceivedWebhook {
  readonly eventId: string
  readonly body: unknown
}

export const webhookReceiver = (failFirst = 0) =>
  Effect.acquireRelease(
    Effect.promise(
      () =>
        new Promise<{ url: string; received: Array<ReceivedWebhook>; close: () => void }>((resolve) => {
          const received: Array<ReceivedWebhook> = []
          let failures = 0
          const server = createServer((req, res) => {
            const parts: Array<Buffer> = []
            req.on("data", (c: Buffer) => parts.push(c))
            req.on("end", () => {
              if (failures < failFirst) {
                failures++
                res.writeHead(500).end()
                return
              }
              received.push({
                eventId: String(req.headers["x-event-id"] ?? ""),
                body: JSON.parse(Buffer.concat(parts).toString("utf8")),
              })
              res.writeHead(204).end()
            })
          })
          server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as AddressInfo
            resolve({
              url: `http://127.0.0.1:${port}/events`,
              received,
              close: () => {
                server.closeAllConnections()
                server.close()
              },
            })
          })
        }),
    ),
    (r) => Effect.sync(r.close),
  )

/** Polls until the predicate holds, for at most `millis`. */
export const eventually = <A, E, R>(probe: Effect.Effect<A, E, R>, ok: (a: A) => boolean, millis = 10_000) =>
  Effect.gen(function* () {
    const deadline = Date.now() + millis
    while (true) {
      const value = yield* probe
      if (ok(value) || Date.now() > deadline) return value
      yield* Effect.sleep(millis > 20_000 ? "500 millis" : "50 millis")
    }
  })
