// The endpoints behind the console's operations views: an order's Nerve calls with their event logs, the
// scheduled calls due next with why each waits, and the campaigns' share of the Exotel rate budget. Each takes a
// viewer's key, refuses a request without a token (401), names a bad query field (400) and an unknown id (404).
import { HttpClientRequest } from "@effect/platform"
import { expect, layer } from "@effect/vitest"
import { Effect, Option } from "effect"
import { asAdmin, clientWith, TestGatewayLive } from "../support/testGateway.js"
import { allowAll, eventually, get, istClock, post, put } from "../support/upstream.js"

const viewerKey = Effect.gen(function* () {
  const response = yield* (yield* asAdmin).execute(
    HttpClientRequest.post("/api/exotel/api-keys").pipe(
      HttpClientRequest.bodyUnsafeJson({ name: "views viewer", role: "viewer" }),
    ),
  )
  return ((yield* response.json) as { key: string }).key
})

const asViewer = (path: string) =>
  Effect.gen(function* () {
    const client = yield* clientWith(yield* viewerKey)
    const response = yield* client.get(`/api/exotel${path}`)
    return { status: response.status, body: (yield* response.json) as Record<string, unknown> }
  }).pipe(Effect.scoped)

const withoutToken = (path: string) =>
  Effect.map(
    Effect.flatMap(clientWith(undefined), (client) => client.get(`/api/exotel${path}`)),
    (r) => r.status,
  ).pipe(Effect.scoped)

layer(TestGatewayLive({ defaultExoPhone: Option.some("08040000000") }), {
  timeout: 60_000,
  excludeTestServices: true,
})("the console's operations endpoints", (it) => {
  it.effect("the three are in the OpenAPI document", () =>
    Effect.gen(function* () {
      const response = yield* (yield* clientWith(undefined)).get("/api/docs/openapi.json")
      const paths = Object.keys(((yield* response.json) as { paths: Record<string, unknown> }).paths)
      expect(paths).toEqual(
        expect.arrayContaining([
          "/nerve/orders/{orderId}/calls",
          "/scheduled-calls/upcoming",
          "/campaigns/rate-budget",
        ]),
      )
    }).pipe(Effect.scoped),
  )

  it.effect("GET /nerve/orders/:orderId/calls: each call of the order with its attempts and event log", () =>
    Effect.gen(function* () {
      expect(yield* withoutToken("/nerve/orders/601/calls")).toBe(401)
      const placed = yield* post("/nerve/vendor/confirm", {
        orderId: 601,
        vendorId: 17,
        vendorPhone: "+919876500601",
        vendorName: "Sharma Dhaba",
        orderAmount: 450,
        language: "en",
      })
      expect(placed.status).toBe(200)
      const answer = yield* asViewer("/nerve/orders/601/calls")
      expect(answer.status).toBe(200)
      const calls = answer.body.calls as ReadonlyArray<Record<string, unknown>>
      expect(calls).toHaveLength(1)
      expect(calls[0]).toMatchObject({
        id: placed.body.callId,
        callType: "vendor_confirmation",
        vendorId: 17,
      })
      const call = calls[0] ?? {}
      expect((call.attempts as ReadonlyArray<unknown>).length).toBeGreaterThanOrEqual(1)
      const events = call.events as ReadonlyArray<Record<string, unknown>>
      expect(events[0]).toMatchObject({ event: "initiated", source: "api", applied: true })
      expect(typeof events[0]?.at).toBe("string")

      const unknown = yield* asViewer("/nerve/orders/999001/calls")
      expect(unknown.status).toBe(404)
      expect(String(unknown.body.message)).toContain("999001")
      const bad = yield* asViewer("/nerve/orders/abc/calls")
      expect(bad.status).toBe(400)
      expect(bad.body.field).toBe("orderId")
    }),
  )

  it.effect("GET /scheduled-calls/upcoming: the next calls, and why each waits", () =>
    Effect.gen(function* () {
      expect(yield* withoutToken("/scheduled-calls/upcoming")).toBe(401)
      // Business hours that open in an hour: a service call scheduled now is moved to then.
      const timing = { ...allowAll, businessHoursStart: istClock(60), businessHoursEnd: istClock(120) }
      expect((yield* put("/config/timing", timing)).status).toBe(200)
      const scheduled = yield* post("/scheduled-calls", {
        phone: "+919876500701",
        purpose: "payment_reminder",
      })
      expect(scheduled.status).toBe(201)
      const answer = yield* asViewer("/scheduled-calls/upcoming?limit=5")
      expect(answer.status).toBe(200)
      const listed = (answer.body.scheduledCalls as ReadonlyArray<Record<string, unknown>>).find(
        (c) => c.id === scheduled.body.id,
      )
      expect(listed?.waiting).toMatchObject({
        kind: "business_hours",
        reason: expect.stringContaining("Outside business hours"),
      })

      const bad = yield* asViewer("/scheduled-calls/upcoming?limit=0")
      expect(bad.status).toBe(400)
      expect(bad.body.field).toBe("limit")
      // A scheduled call's own path still answers 404 for an unknown id, next to the static one.
      expect((yield* asViewer("/scheduled-calls/no-such-call")).status).toBe(404)
    }),
  )

  it.effect(
    "GET /campaigns/rate-budget: each active campaign's requests in the last minute and its share",
    () =>
      Effect.gen(function* () {
        expect(yield* withoutToken("/campaigns/rate-budget")).toBe(401)
        expect((yield* put("/config/timing", allowAll)).status).toBe(200)
        const created = yield* post("/campaigns", {
          name: "Budget share",
          purpose: "order_confirmation",
          dialerType: "agentless",
          contacts: [{ phone: "+919876500801" }, { phone: "+919876500802" }],
        })
        expect(created.status).toBe(201)
        const id = String(created.body.id)
        const shareOf = Effect.map(asViewer("/campaigns/rate-budget"), (answer) => {
          expect(answer.status).toBe(200)
          const campaigns = answer.body.campaigns as ReadonlyArray<Record<string, unknown>>
          return { body: answer.body, mine: campaigns.find((c) => c.campaignId === id) }
        })
        const seen = yield* eventually(shareOf, (s) => Number(s.mine?.requests ?? 0) >= 2, "15 seconds")
        expect(seen.body.limitPerMinute).toBe(200)
        expect(seen.body.windowSeconds).toBe(60)
        expect(seen.mine).toMatchObject({ name: "Budget share", requests: 2, share: 0.01 })
        const used = seen.body.used as { campaigns: number; total: number }
        expect(used.campaigns).toBeGreaterThanOrEqual(2)
        expect(used.total).toBeGreaterThanOrEqual(used.campaigns)
        expect((yield* get("/campaigns/rate-budget")).status).toBe(200)
      }),
  )
})
