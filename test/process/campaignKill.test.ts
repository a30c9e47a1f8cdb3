// A campaign survives SIGKILL: the gateway (npm start's script, a child process) is killed in the middle of a
// campaign and started again on the same data folder; the simulator runs here, outside it, and keeps the ledger,
// which must show every contact dialled exactly once per allowed attempt. The simulator keeps Exotel's limit of
// 200 requests a minute and the campaign needs more than a minute of it, so the kill lands while the account's
// budget is saturated: calls are claimed and waiting for a token, and the process that starts again finds the
// budget's row as the dead one left it.
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { type Duration, Effect, Option, Redacted, Schedule } from "effect"
import { defaultSimulatorOptions, startExotelSimulator } from "../../src/sim/exotel/ExotelSimulator.js"
import { SimLedger } from "../../src/sim/exotel/ledger.js"
import { callsTo, plainContact, scenarioContact } from "../campaigns/support.js"
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

// CAMPAIGN_KILL_CONTACTS=10000 runs the acceptance's full size; the suite runs 200.
const contactCount = Number(process.env.CAMPAIGN_KILL_CONTACTS ?? 200)

describe(`a campaign of ${contactCount} contacts across SIGKILL`, () => {
  it.live(
    "every contact is dialled exactly once per allowed attempt, and the stats agree with the ledger",
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
        // Busy contacts are dialled once per allowed attempt (two), plain ones once; spread through the list so
        // that some are dialled around the kill and retried after it.
        const busy = Array.from({ length: Math.ceil(contactCount / 100) }, (_, i) =>
          scenarioContact(i, "991", 5),
        )
        const plain = Array.from({ length: contactCount - busy.length }, (_, i) => plainContact(i, 6))
        const step = Math.floor(plain.length / busy.length)
        const contacts = plain.flatMap((phone, i) => {
          const b = i % step === 0 ? busy[i / step] : undefined
          return b === undefined ? [phone] : [b, phone]
        })
        expect(contacts.length).toBe(contactCount)
        const started = Date.now()

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
          pacing: { concurrencyCap: 40 },
        })
        expect(created.status).toBe(201)
        const id = String(created.body.id)

        // Mid-campaign, the moment the simulator accepts the call that makes half: that call's answer, and
        // those of the calls placed with it, are still on their way to the gateway (checked every 5 ms; a
        // looser poll lands mostly between batches, when every call out has its sid).
        yield* Effect.sync(() => ledger.accepted("call").length).pipe(
          Effect.filterOrFail((n) => n >= contactCount / 2),
          Effect.retry(Schedule.spaced("5 millis")),
          Effect.timeout(`${Math.max(60, contactCount / 20)} seconds`),
        )
        yield* killed(first)
        const killedAt = Date.now()
        const atKill = ledger.accepted("call").length
        expect(atKill).toBeLessThan(contactCount)

        yield* gatewayProcess(env)
        yield* untilHealthy(base)
        const healthyAt = Date.now()
        yield* poll(
          call(base, "GET", `/campaigns/${id}`),
          (r) => r.body.status === "completed",
          `${Math.max(120, contactCount / 25)} seconds`,
        )
        const stats = (yield* call(base, "GET", `/campaigns/${id}/stats`)).body
        const finishedAt = Date.now()

        // Exactly once per allowed attempt, by the simulator's ledger: no contact missed, none dialled twice for
        // one attempt (a call in flight at the kill is found at Exotel and adopted, or placed only if absent).
        const counts = callsTo(ledger.all())
        expect(plain.filter((phone) => counts.get(phone) !== 1)).toEqual([])
        expect(busy.filter((phone) => counts.get(phone) !== 2)).toEqual([])
        const total = ledger.accepted("call").length
        expect(total).toBe(plain.length + 2 * busy.length)
        // The budget held: Exotel refused nothing, before the kill or after it.
        expect(ledger.all().filter((e) => e.status === 429)).toEqual([])
        // The stats agree with the ledger.
        expect(stats).toMatchObject({
          total: contactCount,
          dialled: total,
          uncertain: 0,
          completed: plain.length,
          failed: busy.length,
          pending: 0,
          progress: 100,
        })
        console.log(
          `${contactCount}-contact campaign across SIGKILL: killed after ${atKill} calls ` +
            `(${((killedAt - started) / 1000).toFixed(1)} s), healthy again in ` +
            `${((healthyAt - killedAt) / 1000).toFixed(1)} s, completed ${((finishedAt - started) / 1000).toFixed(1)} s ` +
            `after the first start; in flight at the kill: ${stats.adopted} adopted from Exotel, ` +
            `${stats.redialled} placed again; ledger ${total} calls = stats.dialled ${stats.dialled}; ` +
            `${ledger.all().filter((e) => e.status === 429).length} answered 429`,
        )
      }).pipe(Effect.scoped),
    Math.max(300_000, contactCount * 150),
  )
})
