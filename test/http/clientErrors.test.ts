// Requests Node's HTTP parser refuses before the router sees them — a URL past the header limit, headers that are
// not HTTP — are answered with a status and JSON that say what was wrong, and the client reads that answer: the
// socket is half-closed after it and what the client still sends is read and dropped, never met with a reset.
import { connect } from "node:net"
import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { send, serverPort } from "../support/rawHttp.js"
import { TestGatewayLive } from "../support/testGateway.js"

layer(TestGatewayLive(), { timeout: 60_000, excludeTestServices: true })(
  "requests the parser refuses",
  (it) => {
    it.effect("a URL past the 16 KiB header limit gets 431 with JSON, however many times it is tried", () =>
      Effect.gen(function* () {
        const port = yield* serverPort
        for (const size of [17_000, 40_000, 200_000]) {
          const answers = yield* Effect.forEach(
            Array.from({ length: 10 }, () => size),
            (n) =>
              send({
                port,
                method: "PATCH",
                path: `/api/exotel/scheduled-calls?limit=${"x".repeat(n)}`,
                headers: { authorization: "x" },
              }),
            { concurrency: 5 },
          )
          for (const answer of answers) {
            expect(answer.status).toBe(431)
            expect(JSON.parse(answer.text)).toMatchObject({
              _tag: "RequestHeadersTooLarge",
              message: expect.stringContaining("16 KiB"),
            })
          }
        }
      }),
    )

    it.effect("a request line that is not HTTP gets 400 with JSON", () =>
      Effect.gen(function* () {
        const port = yield* serverPort
        const answer = yield* Effect.async<string, Error>((resume) => {
          const socket = connect(port, "127.0.0.1", () => socket.write("NOT HTTP AT ALL\r\n\r\n"))
          const chunks: Array<Buffer> = []
          socket.on("data", (chunk: Buffer) => chunks.push(chunk))
          socket.on("end", () => resume(Effect.succeed(Buffer.concat(chunks).toString("utf8"))))
          socket.on("error", (error) => resume(Effect.fail(error)))
        })
        expect(answer).toMatch(/^HTTP\/1\.1 400 /)
        expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))).toMatchObject({ _tag: "BadRequest" })
      }),
    )
  },
)
