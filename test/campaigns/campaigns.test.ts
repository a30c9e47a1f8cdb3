import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option, Redacted } from "effect"
import { defaultExotelClientOptions, ExotelClientConfig } from "../../src/upstream/exotel/ExotelClient.js"
import { TestGatewayLive } from "../support/testGateway.js"
import { allowAll, get, ledger, post, put } from "../support/upstream.js"
import { callsTo, plainContact, scenarioContact, untilCampaign } from "./support.js"

const clientOptions = Layer.succeed(ExotelClientConfig, {
  ...defaultExotelClientOptions,
  timeout: "2 seconds",
  breaker: { threshold: 1_000, openMs: 1_000 },
  httpRetry: { ...defaultExotelClientOptions.httpRetry, maxAttempts: 1, jitter: 0 },
})

const gateway = TestGatewayLive({
  defaultExoPhone: Option.some("08040000000"),
  secretKey: Option.some(Redacted.make("k")),
}).pipe(Layer.provide(clientOptions))

const fastRetry = { maxAttempts: 2, initialDelaySeconds: 1, backoffMultiplier: 1, maxDelaySeconds: 1 }

layer(gateway, { timeout: 120_000, excludeTestServices: true })("campaigns", (it) => {
  it.effect(
    "refuses bad input naming the field, an unknown id with 404, an impossible command with 409",
    () =>
      Effect.gen(function* () {
        const bad = yield* post("/campaigns", {
          name: "x",
          purpose: "order_confirmation",
          dialerType: "agentless",
          contacts: [{ phone: "12" }],
        })
        expect(bad.status).toBe(400)
        expect(JSON.stringify(bad.body)).toMatch(/contacts/)
        const dialer = yield* post("/campaigns", {
          name: "x",
          purpose: "order_confirmation",
          dialerType: "robotic",
          contacts: [{ phone: plainContact(1) }],
        })
        expect(dialer.status).toBe(400)
        expect(JSON.stringify(dialer.body)).toMatch(/dialerType/)
        const retry = yield* post("/campaigns", {
          name: "x",
          purpose: "order_confirmation",
          dialerType: "agentless",
          contacts: [{ phone: plainContact(1) }],
          retryConfig: { initialDelaySeconds: 600, maxDelaySeconds: 60 },
        })
        expect(retry.status).toBe(400)
        expect(retry.body).toMatchObject({ field: "retryConfig.maxDelaySeconds" })
        expect((yield* get("/campaigns/cmp_nope")).status).toBe(404)
        expect((yield* get("/campaigns/cmp_nope/stats")).status).toBe(404)
        expect((yield* post("/campaigns/cmp_nope/pause", {})).status).toBe(404)
      }),
  )

  it.effect(
    "an agentless campaign dials every contact once per allowed attempt, retries busy and no-answer",
    () =>
      Effect.gen(function* () {
        expect((yield* put("/config/timing", allowAll)).status).toBe(200)
        const plain = Array.from({ length: 60 }, (_, i) => plainContact(i))
        const busy = [scenarioContact(1, "991"), scenarioContact(2, "991")]
        const noAnswer = [scenarioContact(3, "992")]
        const created = yield* post("/campaigns", {
          name: "Festival Sale Campaign",
          type: "outbound",
          purpose: "order_confirmation",
          dialerType: "agentless",
          template: "Hello {{name}}, {{orderCount}} orders!",
          contacts: [...plain, ...busy, ...noAnswer].map((phone, i) => ({
            phone,
            name: `C${i}`,
            metadata: { orderCount: i },
          })),
          retryConfig: fastRetry,
          pacing: { concurrencyCap: 8 },
          tags: ["festival"],
        })
        expect(created.status).toBe(201)
        expect(created.body).toMatchObject({ status: "active", totalContacts: 63, dialerType: "agentless" })
        const id = String(created.body.id)
        yield* untilCampaign(id, "completed")
        const counts = callsTo((yield* ledger).all())
        for (const phone of plain) expect(counts.get(phone)).toBe(1)
        for (const phone of [...busy, ...noAnswer]) expect(counts.get(phone)).toBe(2)
        const stats = yield* get(`/campaigns/${id}/stats`)
        expect(stats.body).toMatchObject({
          status: "completed",
          total: 63,
          dialled: 66,
          answered: 60,
          completed: 60,
          failed: 3,
          pending: 0,
          abandoned: 0,
          progress: 100,
        })
        expect((yield* post(`/campaigns/${id}/pause`, {})).status).toBe(409)
        const listed = yield* get("/campaigns")
        expect(JSON.stringify(listed.body)).toContain(id)
      }),
  )
})
