import { HttpClientRequest } from "@effect/platform"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { metricsText } from "../support/metrics.js"
import { databaseKind } from "../support/testDatabase.js"
import { asAdmin, clientWith, TestGatewayLive } from "../support/testGateway.js"

layer(TestGatewayLive(), { timeout: 60_000 })("GET /health", (it) => {
  it.effect("answers the seed's shape without a token, naming the database and upstream mode", () =>
    Effect.gen(function* () {
      const client = yield* clientWith(undefined)
      const response = yield* client.get("/api/exotel/health")
      expect(response.status).toBe(200)
      const body = yield* response.json
      expect(body).toEqual({
        enabled: true,
        features: {
          verifiedCallsEnabled: true,
          numberMaskingEnabled: true,
          voiceStreamingEnabled: true,
          autoDialerEnabled: true,
          cqaEnabled: true,
        },
        status: "ok",
        serviceUrl: null,
        database: databaseKind,
        upstream: "simulator",
      })
      expect(response.headers["x-request-id"]).toMatch(/^req_/)
    }),
  )

  it.effect("keeps a caller's request id", () =>
    Effect.gen(function* () {
      const client = yield* clientWith(undefined)
      const response = yield* client.execute(
        HttpClientRequest.get("/api/exotel/health").pipe(
          HttpClientRequest.setHeader("x-request-id", "trace-42"),
        ),
      )
      expect(response.headers["x-request-id"]).toBe("trace-42")
    }),
  )

  it.effect("reports exotel mode once credentials are configured, without a restart", () =>
    Effect.gen(function* () {
      const admin = yield* asAdmin
      const put = yield* admin.execute(
        HttpClientRequest.put("/api/exotel/config").pipe(
          HttpClientRequest.bodyUnsafeJson({
            apiKey: "key-0000111122223333",
            apiToken: "tok-4444555566667777",
            accountSid: "acme",
          }),
        ),
      )
      expect(put.status).toBe(200)
      const health = yield* (yield* clientWith(undefined))
        .get("/api/exotel/health")
        .pipe(Effect.flatMap((r) => r.json))
      expect(health).toMatchObject({ upstream: "exotel", serviceUrl: "https://api.in.exotel.com" })
    }),
  )

  describe("GET /status", () => {
    it.effect("needs a token and then says how the database answers", () =>
      Effect.gen(function* () {
        const anonymous = yield* (yield* clientWith(undefined)).get("/api/exotel/status")
        expect(anonymous.status).toBe(401)
        const status = yield* (yield* asAdmin).get("/api/exotel/status").pipe(Effect.flatMap((r) => r.json))
        expect(status).toMatchObject({
          service: "exotel-voice-gateway",
          database: { mode: databaseKind, reachable: true },
          nerve: { mode: "built-in", url: null },
        })
      }),
    )
  })

  describe("GET /metrics", () => {
    // The gateway under test runs on this thread: a busy loop here is a stall of its event loop.
    const stall = (millis: number) =>
      Effect.sync(() => {
        const until = performance.now() + millis
        while (performance.now() < until);
      })
    const settle = Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
    const delay = (text: string, quantile: "p99" | "max") =>
      Number(new RegExp(`^nodejs_eventloop_delay_${quantile}_seconds (\\S+)$`, "m").exec(text)?.[1])

    it.effect("reports the event loop's delay since the previous scrape", () =>
      Effect.gen(function* () {
        yield* metricsText
        // The monitor's first tick after a scrape only sets where its next measure starts.
        yield* settle
        yield* stall(300)
        yield* settle
        const stalled = yield* metricsText
        expect(delay(stalled, "max")).toBeGreaterThan(0.25)
        expect(delay(stalled, "p99")).toBeGreaterThan(0)
        yield* settle
        const after = yield* metricsText
        expect(delay(after, "max")).toBeLessThan(0.25)
      }),
    )
  })
})
