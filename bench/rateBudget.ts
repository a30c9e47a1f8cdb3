// The Exotel account's budget: an agentless campaign of BENCH_CONTACTS contacts against a simulator that keeps
// Exotel's limit (BENCH_LIMIT requests per BENCH_WINDOW_MS, 200 a minute by default), with a click-to-call placed
// every BENCH_CLICK_MS while the campaign fills the budget. Run twice in one process: with the gateway's budget,
// and without it (the baseline: a gateway that learns the limit from Exotel's 429s and honours their Retry-After).
// Reported: the share of the limit used over the campaign's full windows, the 429s Exotel sent, the campaign's
// duration, and the click-to-call's p50 and p99 and how many were refused.
//
//   npx tsx bench/rateBudget.ts        BENCH_CONTACTS=500 BENCH_LIMIT=200 BENCH_WINDOW_MS=60000 BENCH_CLICK_MS=2000
import { HttpServer } from "@effect/platform"
import { Context, Effect, Layer, Logger, LogLevel, Option, Redacted } from "effect"
import { GatewayEnv, makeGatewayEnv } from "../src/config/Env.js"
import { CoreLive, ServeRoutesLive } from "../src/gateway.js"
import { NodeServerLive } from "../src/http/NodeServer.js"
import { defaultSimulatorOptions, startExotelSimulator } from "../src/sim/exotel/ExotelSimulator.js"
import { SimLedger } from "../src/sim/exotel/ledger.js"
import { simulatorAccount } from "../src/upstream/exotel/ExotelClient.js"
import { RateBudgetConfig } from "../src/upstream/exotel/RateBudget.js"
import { percentile, report, setting, unthrottledLimits } from "./support.js"

const limit = setting("BENCH_LIMIT", 200)
const windowMs = setting("BENCH_WINDOW_MS", 60_000)
const contacts = setting("BENCH_CONTACTS", Math.round(limit * 2.5))
const clickMs = setting("BENCH_CLICK_MS", 2_000)
const adminToken = "bench-admin-token-0123456789abcdef"

interface Figures {
  readonly usedOfLimit: number
  readonly refused429: number
  readonly durationS: number
  readonly clickP50: number
  readonly clickP99: number
  readonly clickRefused: number
  readonly clicks: number
}

/** Mean requests served per full window after the first half window, as a share of the limit. */
const usedOf = (served: ReadonlyArray<number>, from: number, to: number) => {
  const start = from + windowMs / 2
  const windows = Math.floor((to - start) / windowMs)
  if (windows < 1) return Number.NaN
  const inside = served.filter((at) => at >= start && at < start + windows * windowMs).length
  return (inside / windows / limit) * 100
}

const run = (withBudget: boolean) =>
  Effect.scoped(
    Effect.gen(function* () {
      const ledger = new SimLedger()
      const sim = yield* startExotelSimulator(
        defaultSimulatorOptions(simulatorAccount, { ledger, rateLimit: { requests: limit, windowMs } }),
      )
      const env = makeGatewayEnv({
        adminToken: Option.some(Redacted.make(adminToken)),
        secretKey: Option.some(Redacted.make("bench-secret")),
        defaultExoPhone: Option.some("08040000000"),
        exotelServiceUrl: Option.some(sim.url),
        rateLimitPerMinute: Option.some(withBudget ? limit : 0),
        dataDir: "/tmp/evg-bench",
      })
      const context = yield* Layer.build(
        ServeRoutesLive.pipe(
          Layer.provideMerge(NodeServerLive({ port: 0, host: "127.0.0.1" }, 0)),
          Layer.provideMerge(CoreLive({ _tag: "Embedded", dataDir: Option.none() })),
          Layer.provide(Layer.succeed(GatewayEnv, env)),
          Layer.provide(Layer.succeed(RateBudgetConfig, { windowMs, interactiveWaitMs: 2_000 })),
          Layer.provide(unthrottledLimits),
        ),
      )
      const address = Context.get(context, HttpServer.HttpServer).address
      const base = `http://127.0.0.1:${address._tag === "TcpAddress" ? address.port : 0}/api/exotel`
      const call = (method: string, route: string, body?: unknown) =>
        fetch(`${base}${route}`, {
          method,
          headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }))

      yield* Effect.promise(() =>
        call("PUT", "/config/timing", {
          timezone: "Asia/Kolkata",
          dndStart: "00:00",
          dndEnd: "00:00",
          businessHoursStart: "00:00",
          businessHoursEnd: "24:00",
          weekendCallsAllowed: true,
        }),
      )
      const started = Date.now()
      const created = yield* Effect.promise(() =>
        call("POST", "/campaigns", {
          name: "Budget bench",
          purpose: "order_confirmation",
          dialerType: "agentless",
          // Ending in 0: the simulator's "answered" scenario.
          contacts: Array.from({ length: contacts }, (_, i) => ({
            phone: `+919123${String(i).padStart(5, "0")}0`,
          })),
          retryConfig: { maxAttempts: 1, initialDelaySeconds: 1, backoffMultiplier: 1, maxDelaySeconds: 1 },
          pacing: { concurrencyCap: 50 },
        }),
      )
      const id = String(created.body.id)

      const clicks: Array<{ ms: number; status: number }> = []
      let done = false
      const clicking = (async () => {
        for (let i = 0; !done; i++) {
          const sent = performance.now()
          const answer = await call("POST", "/click-to-call", {
            agentPhone: "9812345601",
            customerPhone: `98765${String(i % 100_000).padStart(5, "0")}`,
          })
          clicks.push({ ms: performance.now() - sent, status: answer.status })
          await new Promise((resolve) => setTimeout(resolve, clickMs))
        }
      })()
      for (;;) {
        const status = yield* Effect.promise(() => call("GET", `/campaigns/${id}`))
        if (status.body.status === "completed") break
        if (Date.now() - started > windowMs * (contacts / limit + 10))
          throw new Error("campaign did not finish")
        yield* Effect.sleep("500 millis")
      }
      const finished = Date.now()
      done = true
      yield* Effect.promise(() => clicking)

      const requests = ledger.all().filter((e) => e.kind !== "callback" && e.kind !== "recording")
      const served = requests.filter((e) => e.status !== 429).map((e) => e.at)
      const placed = clicks.filter((c) => c.status === 200).map((c) => c.ms)
      const figures: Figures = {
        usedOfLimit: usedOf(served, started, finished),
        refused429: requests.filter((e) => e.status === 429).length,
        durationS: (finished - started) / 1000,
        clickP50: percentile(
          clicks.map((c) => c.ms),
          0.5,
        ),
        clickP99: percentile(
          clicks.map((c) => c.ms),
          0.99,
        ),
        clickRefused: clicks.length - placed.length,
        clicks: clicks.length,
      }
      console.log(`${withBudget ? "with the budget" : "without it"}: ${JSON.stringify(figures)}`)
      return figures
    }),
  )

const program = Effect.gen(function* () {
  const budget = yield* run(true)
  const none = yield* run(false)
  report([
    {
      figure: "share of the limit used over the campaign's full windows",
      unit: "%",
      gateway: budget.usedOfLimit,
      baseline: none.usedOfLimit,
      target: { of: "gateway", bound: "atLeast", value: 90 },
    },
    {
      figure: "429s Exotel sent",
      unit: "responses",
      gateway: budget.refused429,
      baseline: none.refused429,
      target: { of: "gateway", bound: "atMost", value: 0 },
    },
    {
      figure: `campaign of ${contacts} contacts`,
      unit: "s",
      gateway: budget.durationS,
      baseline: none.durationS,
    },
    { figure: "click-to-call beside it, p50", unit: "ms", gateway: budget.clickP50, baseline: none.clickP50 },
    {
      figure: "click-to-call beside it, p99",
      unit: "ms",
      gateway: budget.clickP99,
      baseline: none.clickP99,
      target: { of: "gateway", bound: "atMost", value: 2_000 },
    },
    {
      figure: `click-to-calls refused (of about ${budget.clicks})`,
      unit: "calls",
      gateway: budget.clickRefused,
      baseline: none.clickRefused,
    },
  ])
})

Effect.runPromise(program.pipe(Logger.withMinimumLogLevel(LogLevel.Warning))).catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
