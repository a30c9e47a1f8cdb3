// A campaign survives SIGKILL: the gateway (npm start's script, a child process) is killed in the middle of a
// campaign and started again on the same data folder; the simulator runs here, outside it, and keeps the ledger.
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { type Duration, Effect, Option, Redacted, Schedule } from "effect"
import { defaultSimulatorOptions, startExotelSimulator } from "../../src/sim/exotel/ExotelSimulator.js"
import { SimLedger } from "../../src/sim/exotel/ledger.js"
import { callsTo, plainContact } from "../campaigns/support.js"
import { callApi, freePort, gatewayProcess, killed, untilHealthy } from "../support/gatewayProcess.js"
import { serverUrl, testDatabaseTarget } from "../support/testDatabase.js"

const admin = "campaign-kill-admin-token-0123456789"
const credentials = { apiKey: "kill-key", apiToken: "kill-token", accountSid: "kill-account" }

const call = (base: string, method: string, route: string, body?: unknown) =>
  callApi(base, admin, method, route, body)

const poll = <A, E>(read: Effect.Effect<A, E>, done: (a: A) => boolean, within: Duration.DurationInput) =>
  read.pipe(
    Effect.filterOrFail(done, () => "not yet" as const),
    Effect.retry(Schedule.spaced("250 millis")),
    Effect.timeout(within),
  )

describe("a campaign across SIGKILL", () => {
  it.live(
    "every contact is still dialled, none twice in one attempt, and the stats agree with the ledger",
    () =>
      Effect.gen(function* () {
        const ledger = new SimLedger()
        const simulator = yield* startExotelSimulator(defaultSimulatorOptions(credentials, { ledger }))
        const dataDir = yield* Effect.acquireRelease(
          Effect.sync(() => mkdtempSync(path.join(tmpdir(), "evg-campaign-kill-"))),
          (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true })),
        )
        const databaseUrl = Option.isSome(serverUrl)
          ? yield* Effect.map(testDatabaseTarget, (t) => (t._tag === "Server" ? Redacted.value(t.url) : ""))
          : ""
        const port = yield* freePort
        const base = `http://127.0.0.1:${port}`
        const env = {
          PORT: String(port),
          HOST: "127.0.0.1",
          DATA_DIR: dataDir,
          DATABASE_URL: databaseUrl,
          GATEWAY_ADMIN_TOKEN: admin,
          GATEWAY_SECRET_KEY: "campaign-kill-secret",
          EXOTEL_SERVICE_URL: simulator.url,
          EXOTEL_API_KEY: credentials.apiKey,
          EXOTEL_API_TOKEN: credentials.apiToken,
          EXOTEL_ACCOUNT_SID: credentials.accountSid,
          EXOTEL_DEFAULT_EXOPHONE: "08040000000",
          CAMPAIGN_RECONCILE_SECONDS: "2",
          CAMPAIGN_ORPHAN_SECONDS: "3",
        }
        const contacts = Array.from({ length: 200 }, (_, i) => plainContact(i, 6))

        const first = yield* gatewayProcess(env)
        yield* untilHealthy(base)
        expect(
          (yield* call(base, "PUT", "/config/timing", {
            timezone: "Asia/Kolkata",
            dndStart: "00:00",
            dndEnd: "00:00",
            businessHoursStart: "00:00",
            businessHoursEnd: "24:00",
            weekendCallsAllowed: true,
          })).status,
        ).toBe(200)
        const created = yield* call(base, "POST", "/campaigns", {
          name: "Across a crash",
          purpose: "order_confirmation",
          dialerType: "agentless",
          contacts: contacts.map((phone) => ({ phone })),
          retryConfig: { maxAttempts: 2, initialDelaySeconds: 1, backoffMultiplier: 1, maxDelaySeconds: 1 },
          pacing: { concurrencyCap: 20 },
        })
        expect(created.status).toBe(201)
        const id = String(created.body.id)

        // Mid-campaign: some calls done, some in flight.
        yield* poll(
          Effect.sync(() => ledger.accepted("call").length),
          (n) => n >= 60,
          "60 seconds",
        )
        yield* killed(first)
        const atKill = ledger.accepted("call").length
        expect(atKill).toBeLessThan(contacts.length)

        yield* gatewayProcess(env)
        yield* untilHealthy(base)
        const stats = yield* poll(
          call(base, "GET", `/campaigns/${id}/stats`),
          (r) => r.body.status === "completed",
          "120 seconds",
        )
        const counts = callsTo(ledger.all())
        const missing = contacts.filter((phone) => (counts.get(phone) ?? 0) === 0)
        expect(missing).toEqual([])
        const twice = contacts.filter((phone) => (counts.get(phone) ?? 0) > 1)
        const uncertain = Number(stats.body.uncertain)
        // A contact is dialled again only as a new attempt after an attempt the crash left uncertain.
        expect(twice.length).toBeLessThanOrEqual(uncertain)
        const total = ledger.accepted("call").length
        expect(Number(stats.body.dialled)).toBeLessThanOrEqual(total)
        expect(total).toBeLessThanOrEqual(Number(stats.body.dialled) + uncertain)
        expect(stats.body).toMatchObject({ total: contacts.length, pending: 0, progress: 100 })
        console.log(
          `SIGKILL after ${atKill} calls; ${total} calls in all for ${contacts.length} contacts; ` +
            `${uncertain} attempts uncertain, ${twice.length} contacts dialled twice`,
        )
      }).pipe(Effect.scoped),
    300_000,
  )
})
