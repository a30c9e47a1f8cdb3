// Three gateway processes, runners of one cluster on one PostgreSQL server, share an agentless campaign's work
// and the scheduled calls: the process holding the campaign runners is SIGKILLed in the middle of the campaign,
// or all three are restarted in turn with SIGTERM behind a round-robin proxy, and the work moves on. The
// simulator's ledger, kept here in the test process, must show every contact dialled exactly once per allowed
// attempt. Needs a PostgreSQL server (TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test). The two
// tests are one file so that they run one after the other: each runs three gateways on a shared machine.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schedule } from "effect"
import { defaultSimulatorOptions, startExotelSimulator } from "../../src/sim/exotel/ExotelSimulator.js"
import { SimLedger } from "../../src/sim/exotel/ledger.js"
import { callsTo, plainContact, scenarioContact } from "../campaigns/support.js"
import { killed, terminated } from "../support/gatewayProcess.js"
import { roundRobinProxy } from "../support/roundRobinProxy.js"
import {
  anyHour,
  call,
  freshDatabase,
  holdsCampaigns,
  launch,
  poll,
  type Runner,
  runnerSettings,
  seconds,
  serverReachable,
  serverUrl,
  settledHolder,
} from "./support.js"

const reachable = await serverReachable()
if (!reachable) {
  console.warn(
    `test/cluster skipped: no PostgreSQL server answers at ${serverUrl} (set TEST_DATABASE_URL to one)`,
  )
}

const credentials = { apiKey: "cluster-key", apiToken: "cluster-token", accountSid: "cluster-account" }

describe.skipIf(!reachable)("three gateway processes on one PostgreSQL server", () => {
  it.live(
    "a campaign whose process is SIGKILLed moves to another within 10 s and dials every contact once per attempt",
    () =>
      Effect.gen(function* () {
        const ledger = new SimLedger()
        const simulator = yield* startExotelSimulator(defaultSimulatorOptions(credentials, { ledger }))
        const databaseUrl = yield* freshDatabase
        const exotel = { url: simulator.url, ...credentials }
        const settings = yield* Effect.all(
          ["a", "b", "c"].map((name) => runnerSettings(name, databaseUrl, exotel)),
        )
        const runners: Array<Runner> = settings.map((s) => ({ ...s, child: undefined as never }))
        // All three at once, on an empty database: the first creates the cluster's tables, the others wait.
        yield* Effect.forEach(runners, launch, { concurrency: "unbounded", discard: true })

        // Exactly one process holds the campaign runners once the three have shared out the shards.
        const holders = yield* settledHolder(runners)
        expect(holders).toHaveLength(1)
        const [owner] = holders
        if (owner === undefined) return
        const others = runners.filter((r) => r !== owner)
        const [front, second] = others
        if (front === undefined || second === undefined) return

        // Created through a process that does not hold the runners: it reaches the holder by NOTIFY.
        expect((yield* call(front.base, "PUT", "/config/timing", anyHour)).status).toBe(200)
        const busy = [0, 1, 2].map((i) => scenarioContact(i, "991", 5))
        const plain = Array.from({ length: 27 }, (_, i) => plainContact(i, 6))
        const contacts = plain.flatMap((phone, i) => {
          const b = i % 9 === 0 ? busy[i / 9] : undefined
          return b === undefined ? [phone] : [b, phone]
        })
        const created = yield* call(front.base, "POST", "/campaigns", {
          name: "Across a runner's death",
          purpose: "order_confirmation",
          dialerType: "agentless",
          contacts: contacts.map((phone) => ({ phone })),
          retryConfig: { maxAttempts: 2, initialDelaySeconds: 1, backoffMultiplier: 1, maxDelaySeconds: 1 },
          pacing: { concurrencyCap: 4 },
        })
        expect(created.status).toBe(201)
        const id = String(created.body.id)

        // Mid-campaign: a third of the contacts dialled, the rest still to come.
        yield* Effect.sync(() => ledger.accepted("call").length).pipe(
          Effect.filterOrFail((n) => n >= 10),
          Effect.retry(Schedule.spaced("5 millis")),
          Effect.timeout("60 seconds"),
        )
        yield* killed(owner.child)
        const killedAt = Date.now()
        const atKill = ledger.accepted("call").length
        expect(atKill).toBeLessThan(contacts.length)

        // The singleton's shard moves to a survivor within 10 s.
        const heir = yield* Effect.sync(() => others.find(holdsCampaigns)).pipe(
          Effect.filterOrFail(
            (r) => r !== undefined,
            () => "not yet" as const,
          ),
          Effect.retry(Schedule.spaced("100 millis")),
          Effect.timeout("10 seconds"),
        )
        const movedAfter = (heir.holds.at(-1)?.at ?? 0) - killedAt
        expect(movedAfter).toBeLessThan(10_000)

        yield* poll(
          call(second.base, "GET", `/campaigns/${id}`),
          (r) => r.body.status === "completed",
          "120 seconds",
        )
        const stats = (yield* call(second.base, "GET", `/campaigns/${id}/stats`)).body

        // Exactly once per allowed attempt, by the simulator's own ledger: busy lines twice, the rest once.
        const counts = callsTo(ledger.all())
        expect(plain.filter((phone) => counts.get(phone) !== 1)).toEqual([])
        expect(busy.filter((phone) => counts.get(phone) !== 2)).toEqual([])
        const total = ledger.accepted("call").length
        expect(total).toBe(plain.length + 2 * busy.length)
        expect(stats).toMatchObject({
          total: contacts.length,
          dialled: total,
          uncertain: 0,
          completed: plain.length,
          failed: busy.length,
          pending: 0,
        })
        console.log(
          `cluster failover: ${owner.name} killed after ${atKill} of ${total} calls; campaign runners on ` +
            `${heir.name} ${seconds(movedAfter)} s later; ${stats.adopted} adopted from Exotel, ` +
            `${stats.redialled} placed again`,
        )
      }).pipe(Effect.scoped),
    240_000,
  )

  it.live(
    "a rolling restart of all three behind a proxy loses no campaign contact or scheduled call and dials none twice",
    () =>
      Effect.gen(function* () {
        const ledger = new SimLedger()
        const simulator = yield* startExotelSimulator(defaultSimulatorOptions(credentials, { ledger }))
        const databaseUrl = yield* freshDatabase
        const exotel = { url: simulator.url, ...credentials }
        const settings = yield* Effect.all(
          ["a", "b", "c"].map((name) => runnerSettings(name, databaseUrl, exotel)),
        )
        // Every process's public URL is the proxy: Exotel's callbacks and streams land on any of them.
        const proxy = yield* roundRobinProxy(settings.map((s) => s.port))
        const runners: Array<Runner> = settings.map((s) => ({
          ...s,
          env: { ...s.env, PUBLIC_BASE_URL: proxy.url },
          child: undefined as never,
        }))
        yield* Effect.forEach(runners, launch, { concurrency: "unbounded", discard: true })
        expect(yield* settledHolder(runners)).toHaveLength(1)

        expect((yield* call(proxy.url, "PUT", "/config/timing", anyHour)).status).toBe(200)
        const busy = [0, 1, 2].map((i) => scenarioContact(i, "991", 4))
        const plain = Array.from({ length: 27 }, (_, i) => plainContact(i, 4))
        const contacts = plain.flatMap((phone, i) => {
          const b = i % 9 === 0 ? busy[i / 9] : undefined
          return b === undefined ? [phone] : [b, phone]
        })
        const created = yield* call(proxy.url, "POST", "/campaigns", {
          name: "Across a rolling restart",
          purpose: "order_confirmation",
          dialerType: "agentless",
          contacts: contacts.map((phone) => ({ phone })),
          retryConfig: { maxAttempts: 2, initialDelaySeconds: 1, backoffMultiplier: 1, maxDelaySeconds: 1 },
          pacing: { concurrencyCap: 2 },
        })
        expect(created.status).toBe(201)
        const campaignId = String(created.body.id)
        // Scheduled calls due while the processes restart, one every four seconds.
        const scheduledPhones = Array.from({ length: 6 }, (_, i) => plainContact(i, 3))
        const scheduled = yield* Effect.forEach(scheduledPhones, (phone, i) =>
          call(proxy.url, "POST", "/scheduled-calls", {
            phone,
            purpose: "delivery_update",
            preferredTime: new Date(Date.now() + 3_000 + i * 4_000).toISOString(),
          }),
        )
        expect(scheduled.map((r) => r.status)).toEqual(scheduledPhones.map(() => 201))

        // Each process in turn: stopped gracefully (it hands its shards over as it goes), started again.
        const restarts: Array<string> = []
        for (const runner of runners) {
          const held = holdsCampaigns(runner)
          const stopping = Date.now()
          yield* terminated(runner.child)
          const stoppedAfter = Date.now() - stopping
          // A clean exit: the gateway closed its layers, the runner's among them, and handed its shards over.
          expect({ code: runner.child.exitCode, signal: runner.child.signalCode }).toEqual({
            code: 0,
            signal: null,
          })
          let note = `${runner.name} stopped in ${seconds(stoppedAfter)} s`
          if (held) {
            const others = runners.filter((r) => r !== runner)
            const heir = yield* Effect.sync(() => others.find(holdsCampaigns)).pipe(
              Effect.filterOrFail(
                (r) => r !== undefined,
                () => "not yet" as const,
              ),
              Effect.retry(Schedule.spaced("100 millis")),
              Effect.timeout("10 seconds"),
            )
            note += ` and handed the campaign runners to ${heir.name} in ${seconds((heir.holds.at(-1)?.at ?? 0) - stopping)} s`
          }
          yield* launch(runner)
          restarts.push(note)
          yield* Effect.sleep("2 seconds")
        }
        const dialledDuringRestarts = ledger.accepted("call").length

        yield* poll(
          call(proxy.url, "GET", `/campaigns/${campaignId}`),
          (r) => r.body.status === "completed",
          "150 seconds",
        )
        for (const answer of scheduled) {
          yield* poll(
            call(proxy.url, "GET", `/scheduled-calls/${String(answer.body.id)}`),
            (r) => r.body.status === "completed",
            "60 seconds",
          )
        }
        const stats = (yield* call(proxy.url, "GET", `/campaigns/${campaignId}/stats`)).body

        const counts = callsTo(ledger.all())
        expect(plain.filter((phone) => counts.get(phone) !== 1)).toEqual([])
        expect(busy.filter((phone) => counts.get(phone) !== 2)).toEqual([])
        expect(scheduledPhones.filter((phone) => counts.get(phone) !== 1)).toEqual([])
        expect(ledger.all().filter((e) => e.status === 429)).toEqual([])
        expect(stats).toMatchObject({ total: contacts.length, uncertain: 0, pending: 0 })
        console.log(
          `rolling restart: ${restarts.join(", ")}; ${dialledDuringRestarts} calls by the last restart, ` +
            `${ledger.accepted("call").length} in all; proxy forwarded ` +
            `${[...proxy.forwarded.values()].join("/")} requests to a/b/c; ${stats.adopted} adopted, ` +
            `${stats.redialled} placed again`,
        )
      }).pipe(Effect.scoped),
    300_000,
  )
})
