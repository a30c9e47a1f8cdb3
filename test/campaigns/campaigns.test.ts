import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option, Redacted } from "effect"
import { defaultExotelClientOptions, ExotelClientConfig } from "../../src/upstream/exotel/ExotelClient.js"
import { TestGatewayLive } from "../support/testGateway.js"
import { allowAll, eventually, get, ledger, post, put } from "../support/upstream.js"
import { callsTo, plainContact, scenarioContact, untilCampaign } from "./support.js"

const clientOptions = Layer.succeed(ExotelClientConfig, {
  ...defaultExotelClientOptions,
  timeout: "5 seconds",
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

  it.effect(
    "pauses itself when its error rate passes the bound; resume and cancel follow the state machine",
    () =>
      Effect.gen(function* () {
        expect((yield* put("/config/timing", allowAll)).status).toBe(200)
        const created = yield* post("/campaigns", {
          name: "Failing lines",
          purpose: "delivery_update",
          dialerType: "agentless",
          contacts: Array.from({ length: 40 }, (_, i) => ({ phone: scenarioContact(100 + i, "993") })),
          retryConfig: { maxAttempts: 1 },
          errorRateBound: 0.2,
          pacing: { concurrencyCap: 5 },
        })
        expect(created.status).toBe(201)
        const id = String(created.body.id)
        yield* untilCampaign(id, "paused")
        const paused = yield* get(`/campaigns/${id}`)
        expect(String(paused.body.statusReason)).toMatch(
          /error rate 1\.000 over \d+ attempts passed the bound 0\.2/,
        )
        const stats = yield* get(`/campaigns/${id}/stats`)
        expect(Number(stats.body.failed)).toBeGreaterThanOrEqual(20)
        expect(Number(stats.body.pending)).toBeGreaterThan(0)
        expect((yield* post(`/campaigns/${id}/pause`, {})).status).toBe(409)
        expect((yield* post(`/campaigns/${id}/cancel`, {})).body).toMatchObject({ status: "cancelled" })
        const again = yield* post(`/campaigns/${id}/resume`, {})
        expect(again).toMatchObject({ status: 409, body: { _tag: "Conflict" } })
      }),
  )

  it.effect("progressive dials one call per free agent; an answer with no agent free is abandoned", () =>
    Effect.gen(function* () {
      expect((yield* put("/config/timing", allowAll)).status).toBe(200)
      // 994 answers after 2 s: time to take the only agent away while the call rings.
      const slow = scenarioContact(7, "994")
      const created = yield* post("/campaigns", {
        name: "One agent",
        purpose: "delivery_update",
        dialerType: "progressive",
        contacts: [{ phone: slow }, { phone: plainContact(500) }],
      })
      const id = String(created.body.id)
      const agent = yield* post("/agents", { name: "Asha", phone: "+919812345678", campaignId: id })
      expect(agent).toMatchObject({ status: 201, body: { status: "free", campaignId: id } })
      yield* eventually(ledger, (l) => callsTo(l.all()).get(slow) === 1, "10 seconds")
      // One free agent, one call ringing: the second contact waits.
      expect(callsTo((yield* ledger).all()).get(plainContact(500))).toBeUndefined()
      const busy = yield* put(`/agents/${String(agent.body.id)}/status`, { status: "busy" })
      expect(busy.body).toMatchObject({ status: "busy" })
      yield* eventually(
        Effect.map(get(`/campaigns/${id}/stats`), (r) => r.body),
        (s) => s.abandoned === 1,
        "10 seconds",
      )
      expect(callsTo((yield* ledger).all()).get(plainContact(500))).toBeUndefined()
      yield* put(`/agents/${String(agent.body.id)}/status`, { status: "free" })
      yield* untilCampaign(id, "completed")
      const stats = yield* get(`/campaigns/${id}/stats`)
      expect(stats.body).toMatchObject({
        dialled: 2,
        answered: 2,
        abandoned: 1,
        completed: 1,
        abandonRate: 0.5,
      })
      const agents = yield* get(`/agents?campaignId=${id}`)
      expect(agents.body).toMatchObject({ agents: [{ status: "free", currentCallId: null }] })
    }),
  )

  it.effect(
    "preview dials a contact only after an agent accepts it; a skipped contact is never dialled",
    () =>
      Effect.gen(function* () {
        expect((yield* put("/config/timing", allowAll)).status).toBe(200)
        const first = plainContact(600)
        const second = plainContact(601)
        const created = yield* post("/campaigns", {
          name: "Preview",
          purpose: "feedback_request",
          dialerType: "preview",
          template: "Hi {{name}}, about order {{orderId}}",
          contacts: [
            { phone: first, name: "Ravi", metadata: { orderId: "ORD-1" } },
            { phone: second, name: "Meena" },
          ],
        })
        const id = String(created.body.id)
        const agent = yield* post("/agents", { name: "Vik", phone: "+919812345679", campaignId: id })
        const agentId = String(agent.body.id)
        const offered = yield* get(`/campaigns/${id}/preview`)
        expect(offered.body).toMatchObject({
          contact: { phone: first, name: "Ravi", message: "Hi Ravi, about order ORD-1" },
        })
        expect(callsTo((yield* ledger).all()).get(first)).toBeUndefined()
        const contactId = String((offered.body.contact as { contactId: string }).contactId)
        const accepted = yield* post(`/campaigns/${id}/preview`, { agentId, contactId, decision: "accept" })
        expect(accepted.status).toBe(200)
        const twice = yield* post(`/campaigns/${id}/preview`, { agentId, contactId, decision: "accept" })
        expect(twice.status).toBe(409)
        yield* eventually(ledger, (l) => callsTo(l.all()).get(first) === 1, "10 seconds")
        const next = yield* get(`/campaigns/${id}/preview`)
        const nextId = String((next.body.contact as { contactId: string }).contactId)
        const skipped = yield* post(`/campaigns/${id}/preview`, {
          agentId,
          contactId: nextId,
          decision: "skip",
        })
        expect(skipped.status).toBe(200)
        yield* untilCampaign(id, "completed")
        expect(callsTo((yield* ledger).all()).get(second)).toBeUndefined()
        const stats = yield* get(`/campaigns/${id}/stats`)
        expect(stats.body).toMatchObject({
          dialled: 1,
          completed: 1,
          skipped: 1,
          abandoned: 0,
          progress: 100,
        })
        const bad = yield* post(`/campaigns/${id}/preview`, {
          agentId: "agt_x",
          contactId: "1",
          decision: "maybe",
        })
        expect(bad.status).toBe(400)
        expect(JSON.stringify(bad.body)).toMatch(/decision/)
      }),
  )
})
