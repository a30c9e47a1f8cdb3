// Limits on the way in: each key's request rate (its own, or its role's), each source address's for what no
// key vouches for, and the body a request may bring (413 before the body is read, never a reset).
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import WebSocket from "ws"
import { InboundLimits, makeInboundLimits } from "../../src/config/InboundLimits.js"
import { type RawAnswer, send, sendPartly, serverPort } from "../support/rawHttp.js"
import { adminToken, TestGatewayLive } from "../support/testGateway.js"

const json = (answer: RawAnswer): Record<string, unknown> => JSON.parse(answer.text)

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

const issueKey = (port: number, body: Record<string, unknown>) =>
  Effect.map(
    send({
      port,
      method: "POST",
      path: "/api/exotel/api-keys",
      headers: { ...bearer(adminToken), "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    (answer) => {
      expect(answer.status).toBe(201)
      return json(answer) as { id: string; key: string; rateLimit: unknown }
    },
  )

const timingCheck = (port: number, token: string) =>
  send({ port, method: "GET", path: "/api/exotel/timing/check", headers: bearer(token) })

const health = (port: number, localAddress: string) =>
  send({ port, method: "GET", path: "/api/exotel/health", localAddress })

const statuses = (answers: ReadonlyArray<RawAnswer>) => answers.map((a) => a.status)

const limited = Layer.succeed(
  InboundLimits,
  makeInboundLimits({
    perRole: {
      admin: Option.some({ perSecond: 200, burst: 200 }),
      operator: Option.some({ perSecond: 100, burst: 200 }),
      viewer: Option.some({ perSecond: 0.5, burst: 3 }),
    },
    perAddress: Option.some({ perSecond: 0.5, burst: 4 }),
  }),
)

layer(TestGatewayLive().pipe(Layer.provide(limited)), { timeout: 60_000 })("request rates", (it) => {
  it.effect(
    "an operator key past its own limit gets 429 with Retry-After while a second key is served in full",
    () =>
      Effect.gen(function* () {
        const port = yield* serverPort
        const noisy = yield* issueKey(port, {
          name: "noisy",
          role: "operator",
          rateLimit: { perSecond: 1, burst: 5 },
        })
        const quiet = yield* issueKey(port, { name: "quiet", role: "operator" })
        expect(noisy.rateLimit).toEqual({ perSecond: 1, burst: 5 })
        expect(quiet.rateLimit).toBeNull()
        const [noisyAnswers, quietAnswers] = yield* Effect.all(
          [
            Effect.all(
              Array.from({ length: 30 }, () => timingCheck(port, noisy.key)),
              { concurrency: 10 },
            ),
            Effect.all(
              Array.from({ length: 30 }, () => timingCheck(port, quiet.key)),
              { concurrency: 10 },
            ),
          ],
          { concurrency: 2 },
        )
        expect(statuses(quietAnswers).every((s) => s === 200)).toBe(true)
        const served = noisyAnswers.filter((a) => a.status === 200)
        const refused = noisyAnswers.filter((a) => a.status === 429)
        expect(served.length + refused.length).toBe(30)
        expect(served.length).toBeGreaterThanOrEqual(5)
        expect(served.length).toBeLessThan(10)
        for (const answer of refused) {
          expect(Number(answer.headers["retry-after"])).toBeGreaterThanOrEqual(1)
          expect(json(answer)).toMatchObject({
            _tag: "TooManyRequests",
            message: expect.stringContaining("request rate"),
            retryAfterSeconds: Number(answer.headers["retry-after"]),
          })
        }
      }),
  )

  it.effect("a key issued without a limit takes its role's", () =>
    Effect.gen(function* () {
      const port = yield* serverPort
      const viewer = yield* issueKey(port, { name: "dashboard", role: "viewer" })
      const answers = yield* Effect.all(Array.from({ length: 5 }, () => timingCheck(port, viewer.key)))
      expect(statuses(answers)).toEqual([200, 200, 200, 429, 429])
      expect(answers[3]?.headers["retry-after"]).toBe("2")
      yield* TestClock.adjust("1900 millis")
      expect((yield* timingCheck(port, viewer.key)).status).toBe(429)
      yield* TestClock.adjust("100 millis")
      expect((yield* timingCheck(port, viewer.key)).status).toBe(200)
    }),
  )

  it.effect("refuses a key's limit that is no rate, naming the field", () =>
    Effect.gen(function* () {
      const port = yield* serverPort
      const answer = yield* send({
        port,
        method: "POST",
        path: "/api/exotel/api-keys",
        headers: { ...bearer(adminToken), "content-type": "application/json" },
        body: JSON.stringify({ name: "bad", role: "viewer", rateLimit: { perSecond: 0, burst: 0.5 } }),
      })
      expect(answer.status).toBe(400)
      expect(json(answer)).toMatchObject({
        field: "rateLimit.perSecond",
        message: expect.stringContaining("burst"),
      })
    }),
  )

  it.effect(
    "counts what no key vouches for by source address: one address past its bucket slows no other",
    () =>
      Effect.gen(function* () {
        const port = yield* serverPort
        const first = yield* Effect.all(Array.from({ length: 5 }, () => health(port, "127.0.0.2")))
        expect(statuses(first)).toEqual([200, 200, 200, 200, 429])
        const refused = first[4]
        expect(refused?.headers["retry-after"]).toBe("2")
        expect(refused === undefined ? undefined : json(refused)).toMatchObject({ _tag: "TooManyRequests" })
        expect(
          statuses(yield* Effect.all(Array.from({ length: 4 }, () => health(port, "127.0.0.3")))),
        ).toEqual([200, 200, 200, 200])
      }),
  )

  it.effect(
    "counts a token that names nobody against its address, and a bearer header does not dodge the bucket",
    () =>
      Effect.gen(function* () {
        const port = yield* serverPort
        const guesses = yield* Effect.all(
          Array.from({ length: 5 }, (_, i) =>
            send({
              port,
              method: "GET",
              path: "/api/exotel/timing/check",
              headers: bearer(`guess-${i}`),
              localAddress: "127.0.0.4",
            }),
          ),
        )
        expect(statuses(guesses)).toEqual([401, 401, 401, 401, 429])
        const open = yield* send({
          port,
          method: "GET",
          path: "/api/exotel/health",
          headers: bearer(adminToken),
          localAddress: "127.0.0.4",
        })
        expect(open.status).toBe(429)
      }),
  )

  it.effect(
    "answers a voice-stream handshake past its address's bucket with 429, before any stream opens",
    () =>
      Effect.gen(function* () {
        const port = yield* serverPort
        yield* Effect.all(Array.from({ length: 4 }, () => health(port, "127.0.0.5")))
        const status = yield* Effect.async<number>((resume) => {
          const socket = new WebSocket(`ws://127.0.0.1:${port}/api/exotel/voice-stream`, {
            localAddress: "127.0.0.5",
          })
          socket.on("unexpected-response", (_request, response) =>
            resume(Effect.succeed(response.statusCode ?? 0)),
          )
          socket.on("open", () => {
            socket.close()
            resume(Effect.succeed(101))
          })
          socket.on("error", () => {})
        })
        expect(status).toBe(429)
      }),
  )

  it.effect("limits the admin token too", () =>
    Effect.gen(function* () {
      const port = yield* serverPort
      const answers = yield* Effect.all(
        Array.from({ length: 260 }, () => timingCheck(port, adminToken)),
        { concurrency: 20 },
      )
      expect(statuses(answers)).toContain(429)
      // No time passes on the test clock: its burst (less what issuing keys took) is all it gets.
      expect(answers.filter((a) => a.status === 200).length).toBeLessThanOrEqual(200)
    }),
  )
})

const tenMegabytes = 10 * 1024 * 1024

const postHead = (path: string, headers: Record<string, string>) =>
  `POST /api/exotel${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${adminToken}\r\ncontent-type: application/json\r\n${Object.entries(
    headers,
  )
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("")}\r\n`

const statusOf = (raw: string) => Number(raw.slice(9, 12))
const bodyOf = (raw: string) => JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4))

const clickToCall = JSON.stringify({ agentPhone: "+919876500001", customerPhone: "+919123400001" })

layer(TestGatewayLive({ defaultExoPhone: Option.some("08040000000") }), { timeout: 60_000 })(
  "request bodies",
  (it) => {
    describe("size", () => {
      it.effect("a 10 MB body gets 413 naming the limit, sent before the body was read (no reset)", () =>
        Effect.gen(function* () {
          const port = yield* serverPort
          // Only the first 64 KiB of the 10 MB promised are ever sent: the answer must not wait for the rest.
          const raw = yield* sendPartly(
            port,
            postHead("/click-to-call", { "content-length": String(tenMegabytes) }),
            Buffer.alloc(64 * 1024, "a"),
          )
          expect(statusOf(raw)).toBe(413)
          expect(bodyOf(raw)).toEqual({
            _tag: "PayloadTooLarge",
            message: "The request body is larger than this endpoint takes (1048576 bytes)",
            limitBytes: 1048576,
          })
          // Sent whole, the same body is answered, and the connection is not reset under the client.
          const whole = yield* send({
            port,
            method: "POST",
            path: "/api/exotel/click-to-call",
            headers: { ...bearer(adminToken), "content-type": "application/json" },
            body: Buffer.alloc(tenMegabytes, " "),
          })
          expect(whole.status).toBe(413)
        }),
      )

      it.effect("a chunked body is refused with 413 as soon as it passes the limit", () =>
        Effect.gen(function* () {
          const port = yield* serverPort
          const chunk = Buffer.alloc(256 * 1024, " ")
          const chunked = Buffer.concat(
            Array.from({ length: 5 }, () =>
              Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]),
            ),
          )
          // Never terminated: the answer comes while the client could still be sending.
          const raw = yield* sendPartly(
            port,
            postHead("/click-to-call", { "transfer-encoding": "chunked" }),
            chunked,
          )
          expect(statusOf(raw)).toBe(413)
          expect(bodyOf(raw)).toMatchObject({ _tag: "PayloadTooLarge", limitBytes: 1048576 })
        }),
      )

      it.effect("a chunked body within the limit is taken as any other", () =>
        Effect.gen(function* () {
          const port = yield* serverPort
          const body = Buffer.from(clickToCall)
          const raw = yield* sendPartly(
            port,
            postHead("/click-to-call", { "transfer-encoding": "chunked" }),
            Buffer.concat([
              Buffer.from(`${body.length.toString(16)}\r\n`),
              body,
              Buffer.from("\r\n0\r\n\r\n"),
            ]),
          )
          expect(statusOf(raw)).toBe(200)
        }),
      )

      it.effect("POST /campaigns takes more than 1 MiB: its contacts come inline", () =>
        Effect.gen(function* () {
          const port = yield* serverPort
          const contacts = Array.from({ length: 25_000 }, (_, i) => ({
            phone: `+9191${String(i).padStart(8, "0")}`,
            name: `Customer number ${i}`,
          }))
          const body = JSON.stringify({
            name: "big",
            purpose: "promotional_offer",
            dialerType: "nonsense",
            contacts,
          })
          expect(body.length).toBeGreaterThan(1024 * 1024)
          const answer = yield* send({
            port,
            method: "POST",
            path: "/api/exotel/campaigns",
            headers: { ...bearer(adminToken), "content-type": "application/json" },
            body,
          })
          expect(answer.status).toBe(400)
          expect(json(answer)).toMatchObject({ field: "dialerType" })
        }),
      )
    })
  },
)
