// No 5xx from bad input: deep nesting, NUL characters and values the database refuses are 400s naming the
// problem, a body of a type no endpoint reads is 415; an upstream that refuses is 422 and one that is down is 503
// with Retry-After; and every 5xx is in the log with its request id and its cause.
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { defaultExotelClientOptions, ExotelClientConfig } from "../../src/upstream/exotel/ExotelClient.js"
import { captureLogs } from "../support/capturedLogs.js"
import { type RawAnswer, send, serverPort } from "../support/rawHttp.js"
import { adminToken, TestGatewayLive } from "../support/testGateway.js"
import { freePort } from "../support/voiceGateway.js"

const json = (answer: RawAnswer): Record<string, unknown> => JSON.parse(answer.text)

const asAdmin = (method: string, path: string, body?: string, contentType = "application/json") =>
  Effect.flatMap(serverPort, (port) =>
    send({
      port,
      method,
      path: `/api/exotel${path}`,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body === undefined ? {} : { "content-type": contentType }),
      },
      ...(body === undefined ? {} : { body }),
    }),
  )

const vendorConfirmation = (vendorPhone: string) =>
  JSON.stringify({
    orderId: 901,
    vendorId: 7,
    vendorPhone,
    vendorName: "Sharma Dhaba",
    orderAmount: 450,
    itemCount: 3,
    language: "en",
  })

const deeply = (depth: number) => `{"a":${"[".repeat(depth)}1${"]".repeat(depth)}}`

const logs = captureLogs()

const gateway = TestGatewayLive({
  defaultExoPhone: Option.some("08040000000"),
  dltEntityId: Option.some("1201159100000000001"),
}).pipe(
  Layer.provide(
    Layer.succeed(ExotelClientConfig, {
      ...defaultExotelClientOptions,
      timeout: "1 second",
      breaker: { threshold: 1_000, openMs: 1_000 },
      httpRetry: { ...defaultExotelClientOptions.httpRetry, maxAttempts: 2, jitter: 0 },
    }),
  ),
  Layer.provide(logs.layer),
)

// The real clock: Exotel's failures are retried after real waits.
layer(gateway, { timeout: 60_000, excludeTestServices: true })("bad input", (it) => {
  it.effect("100,000-deep nesting gets 400 naming the body, as does 10,000-deep", () =>
    Effect.gen(function* () {
      for (const depth of [100_000, 10_000, 65]) {
        const answer = yield* asAdmin("POST", "/click-to-call", deeply(depth))
        expect(answer.status).toBe(400)
        expect(json(answer)).toEqual({
          _tag: "BadRequest",
          message: "The request body nests arrays and objects deeper than 64 levels",
          field: "body",
        })
      }
      // 64 levels are allowed: the schema answers (the field is unknown, the phones are missing).
      const within = yield* asAdmin("POST", "/click-to-call", deeply(63))
      expect(within.status).toBe(400)
      expect(json(within)).toMatchObject({ field: "agentPhone" })
    }),
  )

  it.effect("a NUL in a body field gets 400 naming the field, however deep the field", () =>
    Effect.gen(function* () {
      const flat = yield* asAdmin("POST", "/api-keys", JSON.stringify({ name: "a\u0000b", role: "viewer" }))
      expect(flat.status).toBe(400)
      expect(json(flat)).toEqual({
        _tag: "BadRequest",
        message: "name: must not contain NUL (\\u0000) characters",
        field: "name",
      })
      const nested = yield* asAdmin(
        "POST",
        "/campaigns",
        JSON.stringify({
          name: "c",
          purpose: "promotional_offer",
          dialerType: "progressive",
          contacts: [{ phone: "+919123400001" }, { phone: "+919123400002", name: "x\u0000" }],
        }),
      )
      expect(json(nested)).toMatchObject({ field: "contacts.1.name" })
      expect(nested.status).toBe(400)
      // An escaped backslash before u0000 is no NUL.
      const escaped = yield* asAdmin(
        "POST",
        "/api-keys",
        JSON.stringify({ name: "a\\u0000", role: "viewer" }),
      )
      expect(escaped.status).toBe(201)
    }),
  )

  it.effect("a NUL in a path parameter, a query parameter or a form field gets 400 naming it", () =>
    Effect.gen(function* () {
      const path = yield* asAdmin("GET", "/calls/abc%00def")
      expect(path.status).toBe(400)
      expect(json(path)).toMatchObject({ _tag: "BadRequest", field: "callSid" })
      const query = yield* asAdmin("GET", "/calls?status=a%00")
      expect(query.status).toBe(400)
      expect(json(query)).toMatchObject({ field: "status" })
      const form = yield* Effect.flatMap(serverPort, (port) =>
        send({
          port,
          method: "POST",
          path: "/api/exotel/webhooks/exotel/call-status?token=x",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "CallSid=abc&Status=completed%00",
        }),
      )
      expect(form.status).toBe(400)
      expect(json(form)).toMatchObject({ field: "Status" })
    }),
  )

  it.effect("a value the database refuses (SQLSTATE class 22) is a 400, not a database outage", () =>
    Effect.gen(function* () {
      const answer = yield* asAdmin("GET", "/nerve/calls/order/99999999999")
      expect(answer.status).toBe(400)
      expect(json(answer)).toMatchObject({
        _tag: "BadRequest",
        message: expect.stringContaining("out of range for type integer"),
      })
    }),
  )

  it.effect("a body of a type the API does not read gets 415 with a message", () =>
    Effect.gen(function* () {
      const body = JSON.stringify({ phone: "+919123400001", reason: "Order update" })
      for (const type of ["multipart/form-data; boundary=x", "text/xml", "application/octet-stream"]) {
        const answer = yield* asAdmin("POST", "/verified-calls", body, type)
        expect(answer.status).toBe(415)
        expect(json(answer)).toMatchObject({
          _tag: "UnsupportedMediaType",
          message: expect.stringContaining("application/json"),
        })
      }
      const withCharset = yield* asAdmin("POST", "/verified-calls", body, "application/json; charset=utf-8")
      expect(withCharset.status).toBe(200)
    }),
  )

  it.effect("Exotel refusing a voice flow's call is a 422 with Exotel's message", () =>
    Effect.gen(function* () {
      const answer = yield* asAdmin("POST", "/nerve/vendor/confirm", vendorConfirmation("+919123400998"))
      expect(answer.status).toBe(422)
      expect(json(answer)).toMatchObject({ message: expect.stringContaining("Exotel") })
    }),
  )

  it.effect("Exotel down is a 503 with Retry-After, in the log with its request id and its cause", () =>
    Effect.gen(function* () {
      for (const [path, body] of [
        ["/nerve/vendor/confirm", vendorConfirmation("+919123400997")],
        ["/verified-calls", JSON.stringify({ phone: "+919123400997", reason: "Order update" })],
      ] as const) {
        const answer = yield* asAdmin("POST", path, body)
        expect(answer.status).toBe(503)
        expect(Number(answer.headers["retry-after"])).toBeGreaterThan(0)
        const requestId = answer.headers["x-request-id"]
        const line = logs.lines.find((l) => l.message === "request" && l.annotations.requestId === requestId)
        expect(line).toMatchObject({
          level: "ERROR",
          annotations: { status: 503, error: json(answer).message },
        })
      }
    }),
  )
})

layer(
  Layer.unwrapEffect(
    Effect.map(freePort, (port) =>
      TestGatewayLive({ nerveSystemUrl: Option.some(`http://127.0.0.1:${port}`) }),
    ),
  ),
  // On the live clock, as the layer above: its teardown (the server's grace for requests in flight) is timed, and
  // on the TestClock that time never passed — twice in a full run, the suite's hook waited out its 60 s here.
  { timeout: 60_000, excludeTestServices: true },
)("Nerve down", (it) => {
  it.effect("a voice flow Nerve cannot place is a 503 with Retry-After", () =>
    Effect.gen(function* () {
      const answer = yield* asAdmin("POST", "/nerve/vendor/confirm", vendorConfirmation("+919123400001"))
      expect(answer.status).toBe(503)
      expect(answer.headers["retry-after"]).toBe("5")
      expect(json(answer)).toMatchObject({
        _tag: "ServiceUnavailable",
        message: expect.stringContaining("Nerve"),
      })
    }),
  )
})
