// Scheduled calls across process deaths: 1,000 calls scheduled on a gateway child process that is killed with
// SIGKILL while it dispatches them, then started again; and two gateway processes sharing one PostgreSQL server.
// The Exotel simulator runs here, outside the gateways, so its ledger survives them: every call goes out once.
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Redacted, Schedule } from "effect"
import { defaultSimulatorOptions, startExotelSimulator } from "../../src/sim/exotel/ExotelSimulator.js"
import type { SimLedger } from "../../src/sim/exotel/ledger.js"
import { callApi, freePort, gatewayProcess, killed, untilHealthy } from "../support/gatewayProcess.js"
import { serverUrl, testDatabaseTarget } from "../support/testDatabase.js"

const admin = "process-test-admin-token-0123456789"
const account = { apiKey: "proc-key", apiToken: "proc-token", accountSid: "proc" }
const total = 1_000
const raisedLimit = 100_000

const api = (base: string, method: string, route: string, body?: unknown) =>
  callApi(base, admin, method, route, body)

// Ending in 0: the simulator's "answered" scenario.
const phoneOf = (i: number) => `+919123${String(i).padStart(5, "0")}0`

/** Schedules calls `from`..`to`-1 on a gateway, 16 requests at a time, all due at `due`. */
const schedule = (base: string, from: number, to: number, due: Date) =>
  Effect.forEach(
    Array.from({ length: to - from }, (_, k) => from + k),
    (i) =>
      api(base, "POST", "/scheduled-calls", {
        phone: phoneOf(i),
        purpose: "order_confirmation",
        preferredTime: due.toISOString(),
        context: { orderId: `ORDER-${i}` },
      }).pipe(Effect.filterOrFail((r) => r.status === 201)),
    { concurrency: 16, discard: true },
  )

const placedPerPhone = (ledger: SimLedger) => {
  const counts = new Map<string, number>()
  for (const entry of ledger.accepted("call")) {
    const from = String(entry.fields.From)
    counts.set(from, (counts.get(from) ?? 0) + 1)
  }
  return counts
}

const stats = (base: string) => Effect.map(api(base, "GET", "/scheduled-calls/stats/summary"), (r) => r.body)

const untilAllCompleted = (base: string) =>
  stats(base).pipe(
    Effect.filterOrFail((s) => s.completed === total),
    Effect.retry(Schedule.spaced("200 millis")),
    Effect.timeout("300 seconds"),
  )

const setup = Effect.gen(function* () {
  const dataDir = yield* Effect.acquireRelease(
    Effect.sync(() => mkdtempSync(path.join(tmpdir(), "evg-scheduled-"))),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true })),
  )
  const databaseUrl = Option.isSome(serverUrl)
    ? yield* Effect.map(testDatabaseTarget, (t) => (t._tag === "Server" ? Redacted.value(t.url) : ""))
    : ""
  // An account with a raised limit (100,000 a minute, on both sides): a thousand calls go out in seconds, and
  // every request still draws from the budget's row that the processes share. The budget at Exotel's own 200 a
  // minute has its kill test in campaignKill.test.ts.
  const simulator = yield* startExotelSimulator(
    defaultSimulatorOptions(account, { rateLimit: { requests: raisedLimit, windowMs: 60_000 } }),
  )
  const env = (port: number, dir: string, leaseSeconds = 3) => ({
    EXOTEL_RATE_LIMIT_PER_MINUTE: String(raisedLimit),
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dir,
    DATABASE_URL: databaseUrl,
    GATEWAY_ADMIN_TOKEN: admin,
    GATEWAY_SECRET_KEY: "process-test-secret",
    EXOTEL_SERVICE_URL: simulator.url,
    EXOTEL_API_KEY: account.apiKey,
    EXOTEL_API_TOKEN: account.apiToken,
    EXOTEL_ACCOUNT_SID: account.accountSid,
    EXOTEL_DEFAULT_EXOPHONE: "08040000000",
    // A dead process's claims are taken over, and its lost callbacks asked about, within seconds.
    SCHEDULED_CALL_LEASE_SECONDS: String(leaseSeconds),
    SCHEDULED_CALL_QUIET_SECONDS: "3",
  })
  return { dataDir, simulator, env }
})

const expectEachPlacedOnce = (ledger: SimLedger) => {
  const counts = placedPerPhone(ledger)
  expect(counts.size).toBe(total)
  expect([...counts.values()].filter((n) => n !== 1)).toEqual([])
}

describe("scheduled calls across processes", () => {
  it.live(
    "a gateway killed with SIGKILL mid-dispatch and restarted places every call exactly once",
    () =>
      Effect.gen(function* () {
        const { dataDir, simulator, env } = yield* setup
        const port = yield* freePort
        const base = `http://127.0.0.1:${port}`

        const first = yield* gatewayProcess(env(port, dataDir))
        yield* untilHealthy(base)
        // Due a few seconds out, so that every call is stored before the dispatching the kill interrupts.
        yield* schedule(base, 0, total, new Date(Date.now() + 6_000))
        yield* Effect.sync(() => simulator.ledger.accepted("call").length).pipe(
          Effect.filterOrFail((n) => n >= 150),
          Effect.retry(Schedule.spaced("5 millis")),
          Effect.timeout("60 seconds"),
        )
        yield* killed(first)
        const placedAtKill = simulator.ledger.accepted("call").length
        expect(placedAtKill).toBeLessThan(total)

        yield* gatewayProcess(env(port, dataDir))
        yield* untilHealthy(base)
        const summary = yield* untilAllCompleted(base)
        expectEachPlacedOnce(simulator.ledger)
        expect(summary).toMatchObject({
          total,
          completed: total,
          placed: simulator.ledger.accepted("call").length,
        })
      }).pipe(Effect.scoped),
    420_000,
  )

  it.live.skipIf(Option.isNone(serverUrl))(
    "two gateway processes on one PostgreSQL server share the scheduled calls and place none twice",
    () =>
      Effect.gen(function* () {
        const { simulator, env } = yield* setup
        const [portA, portB] = [yield* freePort, yield* freePort]
        const [baseA, baseB] = [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`]
        const dirA = yield* Effect.sync(() => mkdtempSync(path.join(tmpdir(), "evg-scheduled-a-")))
        const dirB = yield* Effect.sync(() => mkdtempSync(path.join(tmpdir(), "evg-scheduled-b-")))
        yield* Effect.addFinalizer(() =>
          Effect.sync(() => {
            rmSync(dirA, { recursive: true, force: true })
            rmSync(dirB, { recursive: true, force: true })
          }),
        )
        // The default lease: both processes live, and a slow placement must not look abandoned.
        yield* gatewayProcess(env(portA, dirA, 120))
        yield* untilHealthy(baseA)
        yield* gatewayProcess(env(portB, dirB, 120))
        yield* untilHealthy(baseB)
        const due = new Date(Date.now() + 4_000)
        yield* Effect.all([schedule(baseA, 0, total / 2, due), schedule(baseB, total / 2, total, due)], {
          concurrency: 2,
        })
        const summary = yield* untilAllCompleted(baseA)
        expectEachPlacedOnce(simulator.ledger)
        expect(summary).toMatchObject({ total, completed: total, placed: total })
        // Each process placed some: the callback URLs name the port of the process that placed the call.
        const byPort = (port: number) =>
          simulator.ledger
            .accepted("call")
            .filter((e) => String(e.fields.StatusCallback).includes(`:${port}/`)).length
        expect(byPort(portA)).toBeGreaterThan(0)
        expect(byPort(portB)).toBeGreaterThan(0)
      }).pipe(Effect.scoped),
    420_000,
  )
})
