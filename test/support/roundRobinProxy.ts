// The load balancer in front of a fleet of gateways, for tests: each HTTP request and each WebSocket upgrade goes
// to the next gateway in turn, and to the one after it if that one does not answer (a process being restarted),
// so that Exotel's callbacks and streams land on any process, as they would behind a real balancer.
import { createServer, request as httpRequest, type IncomingMessage } from "node:http"
import { connect, type Socket } from "node:net"
import { Effect } from "effect"

export interface RoundRobinProxy {
  readonly url: string
  /** Requests and upgrades forwarded, by upstream port. */
  readonly forwarded: Map<number, number>
}

const bodyOf = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => resolve(Buffer.concat(chunks)))
    req.on("error", reject)
  })

/** Forwards to the gateways on these loopback ports; closed with the scope. */
export const roundRobinProxy = (ports: ReadonlyArray<number>) =>
  Effect.acquireRelease(
    Effect.async<{ proxy: RoundRobinProxy; close: () => void }>((resume) => {
      let next = 0
      const forwarded = new Map<number, number>()
      const sockets = new Set<Socket>()
      /** The upstreams to try for one request: the next in turn first, then the others. */
      const order = () => {
        const first = next++ % ports.length
        return ports.map((_, i) => ports[(first + i) % ports.length] ?? 0)
      }
      const count = (port: number) => forwarded.set(port, (forwarded.get(port) ?? 0) + 1)

      const server = createServer(async (req, res) => {
        const body = await bodyOf(req)
        const attempt = (candidates: ReadonlyArray<number>): void => {
          const [port, ...rest] = candidates
          if (port === undefined) {
            res.writeHead(502).end("no gateway answered")
            return
          }
          const upstream = httpRequest(
            { host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers },
            (answer) => {
              count(port)
              res.writeHead(answer.statusCode ?? 502, answer.headers)
              answer.pipe(res)
            },
          )
          // Refused or reset before an answer: that gateway is down; the request goes to the next.
          upstream.on("error", () => (res.headersSent ? res.destroy() : attempt(rest)))
          upstream.end(body)
        }
        attempt(order())
      })

      server.on("upgrade", (req: IncomingMessage, client: Socket, head: Buffer) => {
        sockets.add(client)
        client.on("close", () => sockets.delete(client))
        const attempt = (candidates: ReadonlyArray<number>): void => {
          const [port, ...rest] = candidates
          if (port === undefined) {
            client.destroy()
            return
          }
          const upstream = connect(port, "127.0.0.1")
          let connected = false
          upstream.on("connect", () => {
            connected = true
            count(port)
            sockets.add(upstream)
            upstream.on("close", () => sockets.delete(upstream))
            const headers = Object.entries(req.headers).flatMap(([name, value]) =>
              (Array.isArray(value) ? value : [value ?? ""]).map((v) => `${name}: ${v}`),
            )
            upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join("\r\n")}\r\n\r\n`)
            if (head.length > 0) upstream.write(head)
            upstream.pipe(client)
            client.pipe(upstream)
          })
          upstream.on("error", () => (connected ? client.destroy() : attempt(rest)))
          client.on("error", () => upstream.destroy())
        }
        attempt(order())
      })

      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        const port = typeof address === "object" && address !== null ? address.port : 0
        resume(
          Effect.succeed({
            proxy: { url: `http://127.0.0.1:${port}`, forwarded },
            close: () => {
              for (const socket of sockets) socket.destroy()
              server.closeAllConnections()
              server.close()
            },
          }),
        )
      })
    }),
    ({ close }) => Effect.sync(close),
  ).pipe(Effect.map(({ proxy }) => proxy))
