// HTTP at the level a hostile or odd client works at: a request from a chosen loopback source address, and a
// request whose body is only partly sent when the answer is awaited.
import { type Agent, request } from "node:http"
import { connect } from "node:net"
import { HttpServer } from "@effect/platform"
import { Effect } from "effect"

export interface RawAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string | Array<string> | undefined>>
  readonly text: string
}

/** The port of the gateway's own server. */
export const serverPort = Effect.map(HttpServer.HttpServer, (server) =>
  server.address._tag === "TcpAddress" ? server.address.port : 0,
)

export interface RawRequest {
  readonly port: number
  readonly method: string
  readonly path: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string | Buffer | undefined
  /** A loopback address other than 127.0.0.1 makes a source address of its own. */
  readonly localAddress?: string
  /** Connections kept alive across requests; a new connection for each by default. */
  readonly agent?: Agent
}

export const send = (options: RawRequest) =>
  Effect.async<RawAnswer, Error>((resume) => {
    const outgoing = request(
      {
        host: "127.0.0.1",
        port: options.port,
        method: options.method,
        path: options.path,
        headers: options.headers,
        localAddress: options.localAddress,
        agent: options.agent ?? false,
      },
      (response) => {
        const chunks: Array<Buffer> = []
        response.on("data", (chunk: Buffer) => chunks.push(chunk))
        response.on("end", () =>
          resume(
            Effect.succeed({
              status: response.statusCode ?? 0,
              headers: response.headers,
              text: Buffer.concat(chunks).toString("utf8"),
            }),
          ),
        )
      },
    )
    outgoing.on("error", (error) => resume(Effect.fail(error)))
    outgoing.end(options.body)
  })

/**
 * Writes `head` and then `body`, and resolves with the first response as soon as it has fully arrived, while the
 * connection is still open and the rest of the body (if the head promised more) was never sent.
 */
export const sendPartly = (port: number, head: string, body: Buffer) =>
  Effect.async<string, Error>((resume) => {
    const socket = connect(port, "127.0.0.1")
    let received = ""
    socket.on("connect", () => {
      socket.write(head)
      socket.write(body)
    })
    socket.on("data", (chunk) => {
      received += chunk.toString("utf8")
      const end = received.indexOf("\r\n\r\n")
      const length = /content-length: (\d+)/i.exec(received)
      if (end !== -1 && length !== null && received.length >= end + 4 + Number(length[1])) {
        socket.destroy()
        resume(Effect.succeed(received))
      }
    })
    socket.on("error", (error) => resume(Effect.fail(error)))
    socket.on("close", () => resume(Effect.fail(new Error(`closed before a whole answer: ${received}`))))
    return Effect.sync(() => socket.destroy())
  })
