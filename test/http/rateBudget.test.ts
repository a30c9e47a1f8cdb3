// The account's budget through the API: an interactive request that cannot have a token within its bound is a 503
// that says when to come back, Exotel never sees a request past the budget, and two gateway processes on one
// database spend one budget between them.

import { HttpClientRequest } from "@effect/platform"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { bucketShapeOf } from "../../src/policy/rateBudget.js"
import { RateBudget, RateBudgetConfig, RateBudgetLive } from "../../src/upstream/exotel/RateBudget.js"
import { asAdmin, TestGatewayLive } from "../support/testGateway.js"
import { get, ledger, put } from "../support/upstream.js"

const gateway = TestGatewayLive({ defaultExoPhone: Option.some("08040000000") })

const clickToCall = (i: number) =>
  Effect.flatMap(asAdmin, (client) =>
    client
      .execute(
        HttpClientRequest.post("/api/exotel/click-to-call").pipe(
          HttpClientRequest.bodyUnsafeJson({
            agentPhone: "9812345601",
            customerPhone: `91234${String(56000 + i)}`,
          }),
        ),
      )
      .pipe(
        Effect.flatMap((r) =>
          Effect.map(r.json, (body) => ({ status: r.status, retryAfter: r.headers["retry-after"], body })),
        ),
        Effect.scoped,
        Effect.orDie,
      ),
  )

layer(gateway, { timeout: 60_000, excludeTestServices: true })("the Exotel account's rate budget", (it) => {
  it.effect("is a setting: exotel-rate-limit-per-minute, 200 unless set, 0 or 10 to 100,000", () =>
    Effect.gen(function* () {
      expect((yield* get("/config")).body).toMatchObject({ rateLimitPerMinute: 200 })
      const refused = yield* put("/config", { rateLimitPerMinute: 5 })
      expect(refused.status).toBe(400)
      expect(refused.body).toMatchObject({ field: "rateLimitPerMinute" })
      expect(String(refused.body.message)).toContain("rateLimitPerMinute")
    }),
  )

  it.effect("answers an interactive request 503 with Retry-After when no token comes within 2 s", () =>
    Effect.gen(function* () {
      // Ten a minute: a burst of one, then a token every 7.5 s — longer than an interactive request waits.
      expect((yield* put("/config", { rateLimitPerMinute: 10 })).status).toBe(200)
      const before = (yield* ledger).all().filter((e) => e.kind === "call").length
      const answers = yield* Effect.forEach([0, 1, 2, 3, 4], clickToCall, { concurrency: "unbounded" })
      const placed = answers.filter((a) => a.status === 200)
      const refused = answers.filter((a) => a.status === 503)
      expect(placed.length).toBe(1)
      expect(refused.length).toBe(4)
      for (const answer of refused) {
        expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1)
        expect(answer.body).toMatchObject({ _tag: "ServiceUnavailable" })
        expect(String((answer.body as { message: string }).message)).toContain("request budget")
      }
      const calls = (yield* ledger).all().filter((e) => e.kind === "call")
      expect(calls.length - before).toBe(1)
      expect(calls.filter((e) => e.status === 429)).toEqual([])
      yield* put("/config", { rateLimitPerMinute: 200 })
    }),
  )

  it.effect("is one budget for two processes on the same database", () =>
    Effect.gen(function* () {
      const requests = 20
      const windowMs = 2_000
      expect((yield* put("/config", { rateLimitPerMinute: requests })).status).toBe(200)
      const process = Layer.build(
        RateBudgetLive.pipe(
          Layer.provide(Layer.succeed(RateBudgetConfig, { windowMs, interactiveWaitMs: 0 })),
        ),
      )
      // Two budgets as two processes would hold them: their own locks and gates, one row between them.
      const first = (yield* process).unsafeMap.get(RateBudget.key) as typeof RateBudget.Service
      const second = (yield* process).unsafeMap.get(RateBudget.key) as typeof RateBudget.Service
      expect(first).not.toBe(second)
      const granted: Array<number> = []
      const spend = (budget: typeof RateBudget.Service) =>
        budget.draw.pipe(
          Effect.tap(() => Effect.sync(() => granted.push(Date.now()))),
          Effect.ignore,
          Effect.repeat({ until: () => Date.now() - startedAt > 2 * windowMs }),
        )
      const startedAt = Date.now()
      yield* Effect.all([spend(first), spend(second), spend(first), spend(second)], {
        concurrency: "unbounded",
      })
      const sorted = granted.sort((a, b) => a - b)
      let busiest = 0
      let from = 0
      for (let to = 0; to < sorted.length; to++) {
        while ((sorted[to] ?? 0) - (sorted[from] ?? 0) >= windowMs) from++
        busiest = Math.max(busiest, to - from + 1)
      }
      // Alone, each would have granted its own burst and rate: about twice as many.
      expect(busiest).toBeLessThanOrEqual(requests)
      expect(granted.length).toBeGreaterThanOrEqual(bucketShapeOf({ requests, windowMs }).burst)
      yield* put("/config", { rateLimitPerMinute: 200 })
    }).pipe(Effect.scoped),
  )
})
