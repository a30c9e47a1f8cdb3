// Three gateway processes, runners of one cluster on one PostgreSQL server, share an agentless campaign's work
// and the scheduled calls: the process holding the campaign runners is SIGKILLed in the middle of the campaign,
// or all three are restarted in turn with SIGTERM behind a round-robin proxy, and the work moves on. The
// simulator's ledger, kept here in the test process, must show every contact dialled exactly once per allowed
// attempt. Needs a PostgreSQL server (TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test). The two
// tests are one file so that they run one after the other: each runs three gateways on a shared machine.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schedule } from "effect"
import { callsTo, plainContact } from "../campaigns/support.js"
import { killed, terminated } from "../support/gatewayProcess.js"
import {
  call,
  holds,
  holdsCampaigns,
  launch,
  nextHolder,
  poll,
  seconds,
  serverReachable,
  serverUrl,
  startCampaign,
  startedAt,
  startFleet,
} from "./support.js"

const reachable = await serverReachable()
if (!reachable) {
  console.warn(
    `test/cluster skipped: no PostgreSQL server answers at ${serverUrl} (set TEST_DATABASE_URL to one)`,
  )
}

const dispatcher = "ScheduledCallDispatcher"

/** One scheduled call to each phone, the first due in three seconds and the others `everyMs` apart: their ids. */
const scheduleCalls = (base: string, phones: ReadonlyArray<string>, everyMs: number) =>
  Effect.forEach(phones, (phone, i) =>
    call(base, "POST", "/scheduled-calls", {
      phone,
      purpose: "delivery_update",
      preferredTime: new Date(Date.now() + 3_000 + i * everyMs).toISOString(),
    }).pipe(
      Effect.tap((answer) => expect(answer.status).toBe(201)),
      Effect.map((answer) => String(answer.body.id)),
    ),
  )

const allCompleted = (base: string, ids: ReadonlyArray<string>) =>
  Effect.forEach(
    ids,
    (id) =>
      poll(call(base, "GET", `/scheduled-calls/${id}`), (r) => r.body.status === "completed", "60 seconds"),
    { discard: true },
  )

describe.skipIf(!reachable)("three gateway processes on one PostgreSQL server", () => {
  it.live(
    "a campaign whose process is SIGKILLed moves to another within 10 s and dials every contact once per attempt",
    () =>
      Effect.gen(function* () {
        const { ledger, runners, holders } = yield* startFleet({ behindProxy: false })
        // Exactly one process holds the campaign runners once the three have shared out the shards.
        expect(holders).toHaveLength(1)
        const [owner] = holders
        const others = runners.filter((r) => r !== owner)
        const [front, second] = others
        if (owner === undefined || front === undefined || second === undefined) return

        // Created through a process that does not hold the runners: it reaches the holder by NOTIFY.
        const { busy, plain, contacts, id } = yield* startCampaign(
          front.base,
          "Across a runner's death",
          5,
          4,
        )
        // Scheduled calls due around the kill, one every two seconds, stored through the other survivor.
        const scheduledPhones = Array.from({ length: 6 }, (_, i) => plainContact(i, 2))
        const scheduled = yield* scheduleCalls(second.base, scheduledPhones, 2_000)
        const dispatcherWasKilled = holds(owner, dispatcher)

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
        const heir = yield* nextHolder(others)
        const movedAfter = startedAt(heir, "CampaignRunners") - killedAt
        expect(movedAfter).toBeLessThan(10_000)

        // The dispatcher too, if it was on the killed process.
        const dispatcherMoved = dispatcherWasKilled
          ? seconds(startedAt(yield* nextHolder(others, dispatcher), dispatcher) - killedAt)
          : undefined
        yield* poll(
          call(second.base, "GET", `/campaigns/${id}`),
          (r) => r.body.status === "completed",
          "120 seconds",
        )
        yield* allCompleted(second.base, scheduled)
        expect(scheduledPhones.filter((phone) => callsTo(ledger.all()).get(phone) !== 1)).toEqual([])
        const stats = (yield* call(second.base, "GET", `/campaigns/${id}/stats`)).body

        // Exactly once per allowed attempt, by the simulator's own ledger: busy lines twice, the rest once.
        const counts = callsTo(ledger.all())
        expect(plain.filter((phone) => counts.get(phone) !== 1)).toEqual([])
        expect(busy.filter((phone) => counts.get(phone) !== 2)).toEqual([])
        const total = ledger.accepted("call").length - scheduledPhones.length
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
            `${stats.redialled} placed again; the scheduled-call dispatcher ` +
            (dispatcherMoved === undefined
              ? "was elsewhere"
              : `moved too, ${dispatcherMoved} s after the kill`),
        )
      }).pipe(Effect.scoped),
    240_000,
  )

  it.live(
    "a rolling restart of all three behind a proxy loses no campaign contact or scheduled call and dials none twice",
    () =>
      Effect.gen(function* () {
        const { ledger, runners, holders, proxy } = yield* startFleet({ behindProxy: true })
        expect(holders).toHaveLength(1)
        if (proxy === undefined) return

        const {
          busy,
          plain,
          contacts,
          id: campaignId,
        } = yield* startCampaign(proxy.url, "Across a rolling restart", 4, 2)
        // Scheduled calls due while the processes restart, one every four seconds.
        const scheduledPhones = Array.from({ length: 6 }, (_, i) => plainContact(i, 3))
        const scheduled = yield* scheduleCalls(proxy.url, scheduledPhones, 4_000)

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
            const heir = yield* nextHolder(runners.filter((r) => r !== runner))
            const after = startedAt(heir, "CampaignRunners") - stopping
            note += ` and handed the campaign runners to ${heir.name} in ${seconds(after)} s`
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
        yield* allCompleted(proxy.url, scheduled)
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
