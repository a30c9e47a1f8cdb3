import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer, Option, Redacted } from "effect"
import { defaultExotelClientOptions, ExotelClientConfig } from "../../src/upstream/exotel/ExotelClient.js"
import { clientWith, TestGatewayLive } from "../support/testGateway.js"
import { eventually, get, ledger, post } from "../support/upstream.js"

const agent = "+919876500001"
const customer = "+919123456789"
const scenario = (suffix: string) => `+919123456${suffix}`

// Retries wait at least 1 s, and the breaker must not open while failure scenarios run one after another.
const clientOptions = Layer.succeed(ExotelClientConfig, {
  ...defaultExotelClientOptions,
  timeout: "1 second",
  breaker: { threshold: 1_000, openMs: 1_000 },
  httpRetry: { ...defaultExotelClientOptions.httpRetry, maxAttempts: 2, jitter: 0 },
})

const gateway = TestGatewayLive({
  defaultExoPhone: Option.some("08040000000"),
  dltEntityId: Option.some("1201159100000000001"),
  secretKey: Option.some(Redacted.make("k")),
}).pipe(Layer.provide(clientOptions))

const callsTo = (to: string) =>
  Effect.map(ledger, (l) => l.all().filter((e) => e.kind === "call" && e.fields.To === to))

const callStatus = (callSid: string) => Effect.map(get(`/calls/${callSid}`), (r) => r.body.status)

layer(gateway, { timeout: 60_000, excludeTestServices: true })("POST /click-to-call", (it) => {
  it.effect("places the call through Calls/connect and records Exotel's terminal callback", () =>
    Effect.gen(function* () {
      const answer = yield* post("/click-to-call", {
        agentPhone: agent,
        customerPhone: "9123456789",
        recordCall: true,
        customField: "ORDER-12345",
      })
      expect(answer.status).toBe(200)
      expect(answer.body).toEqual({ callSid: expect.stringMatching(/^[0-9a-f]{32}$/), status: "initiated" })
      const [request] = yield* callsTo(customer)
      expect(request?.fields).toMatchObject({
        From: agent,
        To: customer,
        CallerId: "08040000000",
        CallType: "trans",
        Record: "true",
        CustomField: "ORDER-12345",
        "StatusCallbackEvents[]": ["terminal", "answered"],
      })
      expect(String(request?.fields.StatusCallback)).toMatch(
        /\/api\/exotel\/webhooks\/exotel\/call-status\?token=/,
      )
      const callSid = String(answer.body.callSid)
      yield* eventually(callStatus(callSid), (s) => s === "completed")
      const call = yield* get(`/calls/${callSid}`)
      expect(call.body).toMatchObject({
        callSid,
        kind: "click_to_call",
        direction: "outbound",
        from: agent,
        to: customer,
        customField: "ORDER-12345",
        durationSeconds: 42,
        recordingUrl: expect.stringMatching(/\/recordings\/.+\.wav$/),
      })
      const recording = yield* get(`/recordings/${callSid}`)
      expect(recording).toMatchObject({
        status: 200,
        body: { callSid, recordingUrl: call.body.recordingUrl },
      })
    }),
  )

  for (const [suffix, status] of [
    ["991", "busy"],
    ["992", "no-answer"],
    ["993", "failed"],
  ] as const) {
    it.effect(`records ${status} when the customer's line reports it (…${suffix})`, () =>
      Effect.gen(function* () {
        const answer = yield* post("/click-to-call", { agentPhone: agent, customerPhone: scenario(suffix) })
        expect(answer.status).toBe(200)
        yield* eventually(callStatus(String(answer.body.callSid)), (s) => s === status)
        const recording = yield* get(`/recordings/${String(answer.body.callSid)}`)
        expect(recording.status).toBe(404)
      }),
    )
  }

  it.effect(
    "passes on Exotel's refusal (NDNC, …998) as 422 with its status and code, and keeps the failed call",
    () =>
      Effect.gen(function* () {
        const answer = yield* post("/click-to-call", { agentPhone: agent, customerPhone: scenario("998") })
        expect(answer.status).toBe(422)
        expect(answer.body).toMatchObject({ _tag: "UpstreamRejected", upstreamStatus: 403, code: 403 })
        expect(String(answer.body.message)).toMatch(/NDNC/)
        expect((yield* callsTo(scenario("998"))).length).toBe(1)
        const stored = yield* get(`/calls?phone=${encodeURIComponent(scenario("998"))}`)
        expect(stored.body).toMatchObject({
          total: 1,
          calls: [{ status: "failed", error: expect.stringMatching(/NDNC/) }],
        })
      }),
  )

  it.effect("retries a 429 after Retry-After and then succeeds (…995)", () =>
    Effect.gen(function* () {
      const started = Date.now()
      const answer = yield* post("/click-to-call", { agentPhone: agent, customerPhone: scenario("995") })
      expect(answer.status).toBe(200)
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000)
      expect((yield* callsTo(scenario("995"))).map((e) => e.status)).toEqual([429, 200])
    }),
  )

  for (const [suffix, what] of [
    ["996", "keeps answering 429"],
    ["997", "keeps answering 503"],
    ["994", "answers slower than the timeout"],
  ] as const) {
    it.effect(`answers 503 when Exotel ${what} (…${suffix}), after one retry`, () =>
      Effect.gen(function* () {
        const answer = yield* post("/click-to-call", { agentPhone: agent, customerPhone: scenario(suffix) })
        expect(answer.status).toBe(503)
        expect(answer.body).toMatchObject({ _tag: "ServiceUnavailable" })
        expect((yield* callsTo(scenario(suffix))).length).toBe(2)
      }),
    )
  }

  it.effect("sends one call for two requests with the same Idempotency-Key, and answers both alike", () =>
    Effect.gen(function* () {
      const to = "+919123400001"
      const headers = { "idempotency-key": "ctc-key-1" }
      const first = yield* post("/click-to-call", { agentPhone: agent, customerPhone: to }, headers)
      const second = yield* post("/click-to-call", { agentPhone: agent, customerPhone: to }, headers)
      expect(first.status).toBe(200)
      expect(second).toEqual(first)
      expect((yield* callsTo(to)).length).toBe(1)
      const other = yield* post(
        "/click-to-call",
        { agentPhone: agent, customerPhone: to },
        { "idempotency-key": "ctc-key-2" },
      )
      expect(other.body.callSid).not.toBe(first.body.callSid)
      expect((yield* callsTo(to)).length).toBe(2)
    }),
  )

  describe("bad input names the field", () => {
    const valid = { agentPhone: agent, customerPhone: customer }
    for (const [field, value] of [
      ["agentPhone", "12"],
      ["customerPhone", "not a number"],
      ["callerId", "abc"],
      ["timeLimit", 0],
      ["recordCall", "yes"],
      ["customField", "x".repeat(129)],
      ["statusCallback", "ftp://example.test/cb"],
      ["purpose", "spam"],
    ] as const) {
      it.effect(`${field}: ${JSON.stringify(value).slice(0, 20)}`, () =>
        Effect.gen(function* () {
          const before = (yield* ledger).all().filter((e) => e.kind === "call").length
          const answer = yield* post("/click-to-call", { ...valid, [field]: value })
          expect(answer.status).toBe(400)
          expect(answer.body).toMatchObject({ _tag: "BadRequest", field })
          expect((yield* ledger).all().filter((e) => e.kind === "call").length).toBe(before)
        }),
      )
    }
  })

  it.effect("needs the operator role", () =>
    Effect.gen(function* () {
      const client = yield* clientWith(undefined)
      const response = yield* client.post("/api/exotel/click-to-call")
      expect(response.status).toBe(401)
    }),
  )
})
