// Acceptance: a campaign of 10,000 contacts against the simulator completes, every contact dialled exactly
// once per allowed attempt (the simulator's ledger), and the statistics agree with the ledger. The suite runs
// 300 (it runs twice in CI on two cores); CAMPAIGN_CONTACTS=10000 runs the full acceptance.
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option, Redacted } from "effect"
import { defaultExotelClientOptions, ExotelClientConfig } from "../../src/upstream/exotel/ExotelClient.js"
import { TestGatewayLive } from "../support/testGateway.js"
import { allowAll, get, ledger, post, put } from "../support/upstream.js"
import { callsTo, plainContact, scenarioContact, untilCampaign } from "./support.js"

// The dialer at scale, on an account with a raised limit (100,000 a minute on both sides): at Exotel's own 200
// the campaign would take the budget's pace, which rateBudget.test.ts and npm run test:budget measure.
const gateway = TestGatewayLive({
  defaultExoPhone: Option.some("08040000000"),
  secretKey: Option.some(Redacted.make("k")),
  rateLimitPerMinute: Option.some(100_000),
  simulatorRateLimitPerMinute: 100_000,
}).pipe(
  Layer.provide(
    Layer.succeed(ExotelClientConfig, {
      ...defaultExotelClientOptions,
      breaker: { threshold: 1_000, openMs: 1_000 },
      httpRetry: { ...defaultExotelClientOptions.httpRetry, maxAttempts: 1 },
    }),
  ),
)

const contacts = Number(process.env.CAMPAIGN_CONTACTS ?? 300)

layer(gateway, { timeout: 60_000, excludeTestServices: true })(`a campaign of ${contacts} contacts`, (it) => {
  it.effect(
    "dials every contact once per allowed attempt and its stats agree with the ledger",
    () =>
      Effect.gen(function* () {
        expect((yield* put("/config/timing", allowAll)).status).toBe(200)
        const busy = Array.from({ length: 20 }, (_, i) => scenarioContact(i, "991"))
        const plain = Array.from({ length: contacts - busy.length }, (_, i) => plainContact(i))
        const started = Date.now()
        const created = yield* post("/campaigns", {
          name: "Ten thousand",
          purpose: "order_confirmation",
          dialerType: "agentless",
          contacts: [...plain, ...busy].map((phone) => ({ phone })),
          retryConfig: { maxAttempts: 2, initialDelaySeconds: 1, backoffMultiplier: 1, maxDelaySeconds: 1 },
          pacing: { concurrencyCap: 40 },
        })
        expect(created.status).toBe(201)
        const createdMs = Date.now() - started
        const id = String(created.body.id)
        yield* untilCampaign(id, "completed", `${Math.max(180, contacts / 5)} seconds`)
        const totalMs = Date.now() - started
        const counts = callsTo((yield* ledger).all())
        const wrong = plain.filter((phone) => counts.get(phone) !== 1)
        expect(wrong).toEqual([])
        for (const phone of busy) expect(counts.get(phone)).toBe(2)
        const stats = yield* get(`/campaigns/${id}/stats`)
        expect(stats.body).toMatchObject({
          total: contacts,
          dialled: plain.length + 2 * busy.length,
          completed: plain.length,
          failed: busy.length,
          pending: 0,
          progress: 100,
        })
        console.log(
          `${contacts}-contact campaign: created in ${createdMs} ms, completed in ${totalMs} ms ` +
            `(${Math.round((plain.length + 2 * busy.length) / (totalMs / 1000))} calls/s)`,
        )
      }),
    Math.max(240_000, contacts * 300),
  )
})
