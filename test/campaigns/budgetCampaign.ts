// A campaign that needs several windows of the account's budget, against a simulator that keeps Exotel's limit:
// the same run at two scales. `npm test` runs 200 contacts on a limit of 40 requests per 6 s window; `npm run
// test:budget` runs 1,000 on Exotel's own 200 a minute. Both have five windows of work for the budget, and a
// click-to-call is placed every few seconds while the campaign keeps the budget full.
import { Context, Duration, Effect, Fiber, Layer, Option, Redacted, Schedule } from "effect"
import type { AccountRateLimit } from "../../src/sim/exotel/accountRateLimit.js"
import { defaultSimulatorOptions, startExotelSimulator } from "../../src/sim/exotel/ExotelSimulator.js"
import { SimLedger } from "../../src/sim/exotel/ledger.js"
import { simulatorAccount } from "../../src/upstream/exotel/ExotelClient.js"
import { RateBudgetConfig } from "../../src/upstream/exotel/RateBudget.js"
import { TestGatewayLive } from "../support/testGateway.js"
import { allowAll, get, post, put } from "../support/upstream.js"
import { callsTo, plainContact } from "./support.js"

export interface BudgetScale {
  readonly contacts: number
  readonly limit: AccountRateLimit
}

export const ciScale: BudgetScale = { contacts: 200, limit: { requests: 40, windowMs: 6_000 } }
export const fullScale: BudgetScale = { contacts: 1_000, limit: { requests: 200, windowMs: 60_000 } }

class BudgetUpstream extends Context.Tag("BudgetUpstream")<
  BudgetUpstream,
  { readonly ledger: SimLedger }
>() {}

export const budgetGateway = (scale: BudgetScale) =>
  Layer.unwrapScoped(
    Effect.gen(function* () {
      const ledger = new SimLedger()
      const sim = yield* startExotelSimulator(
        defaultSimulatorOptions(simulatorAccount, { ledger, rateLimit: scale.limit }),
      )
      return TestGatewayLive({
        exotelServiceUrl: Option.some(sim.url),
        defaultExoPhone: Option.some("08040000000"),
        secretKey: Option.some(Redacted.make("k")),
        rateLimitPerMinute: Option.some(scale.limit.requests),
      }).pipe(
        Layer.provide(
          Layer.succeed(RateBudgetConfig, { windowMs: scale.limit.windowMs, interactiveWaitMs: 2_000 }),
        ),
        Layer.merge(Layer.succeed(BudgetUpstream, { ledger })),
      )
    }),
  )

export interface BudgetRun {
  readonly contacts: number
  readonly elapsedMs: number
  /** Contacts dialled other than exactly once. */
  readonly wronglyDialled: ReadonlyArray<string>
  readonly refused429: number
  readonly requests: number
  /** Requests Exotel served in the busiest window, and on average per window once the first had passed. */
  readonly busiestWindow: number
  readonly usedOfLimit: number
  readonly statusesSeen: ReadonlyArray<string>
  readonly clickToCallMs: ReadonlyArray<number>
  readonly clickToCallStatuses: ReadonlyArray<number>
}

const busiest = (times: ReadonlyArray<number>, windowMs: number) => {
  let most = 0
  let first = 0
  for (let last = 0; last < times.length; last++) {
    while ((times[last] ?? 0) - (times[first] ?? 0) >= windowMs) first++
    most = Math.max(most, last - first + 1)
  }
  return most
}

export const runBudgetCampaign = (scale: BudgetScale) =>
  Effect.gen(function* () {
    const { ledger } = yield* BudgetUpstream
    yield* put("/config/timing", allowAll)
    const phones = Array.from({ length: scale.contacts }, (_, i) => plainContact(i))
    const started = Date.now()
    const created = yield* post("/campaigns", {
      name: "The account's budget",
      purpose: "order_confirmation",
      dialerType: "agentless",
      contacts: phones.map((phone) => ({ phone })),
      retryConfig: { maxAttempts: 1, initialDelaySeconds: 1, backoffMultiplier: 1, maxDelaySeconds: 1 },
      pacing: { concurrencyCap: 50 },
    })
    if (created.status !== 201) return yield* Effect.dieMessage(`campaign not created: ${created.status}`)
    const id = String(created.body.id)

    // Interactive work beside it: a click-to-call every quarter window, timed from request to answer.
    const clickToCallMs: Array<number> = []
    const clickToCallStatuses: Array<number> = []
    const clickToCall = Effect.gen(function* () {
      const sent = performance.now()
      const answer = yield* post("/click-to-call", { agentPhone: "9812345601", customerPhone: "9123456789" })
      clickToCallMs.push(performance.now() - sent)
      clickToCallStatuses.push(answer.status)
    })
    const beside = yield* clickToCall.pipe(
      Effect.repeat(Schedule.spaced(Duration.millis(scale.limit.windowMs / 4))),
      Effect.fork,
    )

    const statusesSeen = new Set<string>()
    const within = Duration.millis(scale.limit.windowMs * (scale.contacts / scale.limit.requests + 4))
    yield* get(`/campaigns/${id}`).pipe(
      Effect.map((r) => String(r.body.status)),
      Effect.tap((status) => Effect.sync(() => statusesSeen.add(status))),
      Effect.repeat({
        schedule: Schedule.spaced("250 millis"),
        until: (status) => status === "completed" || status === "paused",
      }),
      Effect.timeoutFail({ duration: within, onTimeout: () => new Error(`campaign ${id} not done in time`) }),
    )
    const elapsedMs = Date.now() - started
    yield* Fiber.interrupt(beside)

    const entries = ledger.all().filter((e) => e.kind !== "callback" && e.kind !== "recording")
    const counts = callsTo(entries)
    const served = entries.filter((e) => e.status !== 429).map((e) => e.at)
    const afterFirst = served.filter((at) => at >= started + scale.limit.windowMs)
    const windows = Math.max(1, (elapsedMs - scale.limit.windowMs) / scale.limit.windowMs)
    return {
      contacts: scale.contacts,
      elapsedMs,
      wronglyDialled: phones.filter((phone) => counts.get(phone) !== 1),
      refused429: entries.filter((e) => e.status === 429).length,
      requests: entries.length,
      busiestWindow: busiest(served, scale.limit.windowMs),
      usedOfLimit: afterFirst.length / windows / scale.limit.requests,
      statusesSeen: [...statusesSeen],
      clickToCallMs,
      clickToCallStatuses,
    } satisfies BudgetRun
  })

/** A run's figures, for the closing note and the log of the full run. */
export const describeRun = (run: BudgetRun) => {
  const sorted = [...run.clickToCallMs].sort((a, b) => a - b)
  const at = (q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0)
  return (
    `${run.contacts} contacts in ${(run.elapsedMs / 1000).toFixed(1)} s; ${run.requests} requests to Exotel, ` +
    `${run.refused429} answered 429; busiest window ${run.busiestWindow}; ${(run.usedOfLimit * 100).toFixed(1)}% ` +
    `of the limit used after the first window; click-to-call p50 ${at(0.5)} ms, p99 ${at(0.99)} ms ` +
    `over ${sorted.length}`
  )
}
