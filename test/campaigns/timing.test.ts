// The runner's time rules on the TestClock (which starts at 1970-01-01T00:00Z, 05:30 in Kolkata): a campaign
// waits for its schedule and for its purpose's allowed hours, and a retry waits the retry schedule's delay.
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option, Redacted, TestClock } from "effect"
import { defaultExotelClientOptions, ExotelClientConfig } from "../../src/upstream/exotel/ExotelClient.js"
import { TestGatewayLive } from "../support/testGateway.js"
import { get, ledger, post, put } from "../support/upstream.js"
import { callsTo, plainContact, scenarioContact } from "./support.js"

const gateway = TestGatewayLive({
  defaultExoPhone: Option.some("08040000000"),
  secretKey: Option.some(Redacted.make("k")),
}).pipe(
  Layer.provide(
    Layer.succeed(ExotelClientConfig, {
      ...defaultExotelClientOptions,
      httpRetry: { ...defaultExotelClientOptions.httpRetry, maxAttempts: 1 },
    }),
  ),
)

/** Waits on the real clock for the gateway's I/O (HTTP, database) to settle; the TestClock does not move. */
const settle = (ms = 300) => Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, ms)))

/** Polls on the real clock, for I/O started by a TestClock step to land. */
const until = <A, E, R>(
  read: Effect.Effect<A, E, R>,
  done: (a: A) => boolean,
  tries = 100,
): Effect.Effect<A, E, R> =>
  Effect.flatMap(read, (a) =>
    done(a) || tries <= 0 ? Effect.succeed(a) : Effect.zipRight(settle(50), until(read, done, tries - 1)),
  )

const dialled = (phone: string) => Effect.map(ledger, (l) => callsTo(l.all()).get(phone) ?? 0)

// Every virtual minute costs real time (the webhook outbox polls every 2 s and catches up when the clock
// jumps), so the rules are checked over minutes, not hours.
layer(gateway, { timeout: 60_000 })("campaign time rules (TestClock)", (it) => {
  it.effect(
    "waits for its schedule and business hours, then retries a busy line after the schedule's delay",
    () =>
      Effect.gen(function* () {
        const timing = yield* put("/config/timing", {
          timezone: "Asia/Kolkata",
          businessHoursStart: "05:34",
          businessHoursEnd: "21:00",
          dndStart: "21:00",
          dndEnd: "05:34",
          weekendCallsAllowed: true,
        })
        expect(timing.status).toBe(200)
        const answered = plainContact(42)
        const busy = scenarioContact(42, "991")
        const created = yield* post("/campaigns", {
          name: "Payment reminders",
          purpose: "payment_reminder",
          dialerType: "agentless",
          // 05:32 in Kolkata: scheduled, but before business hours (05:34).
          schedule: "1970-01-01T00:02:00Z",
          contacts: [{ phone: answered }, { phone: busy }],
          retryConfig: {
            maxAttempts: 2,
            initialDelaySeconds: 120,
            backoffMultiplier: 2,
            maxDelaySeconds: 600,
          },
        })
        expect(created.status).toBe(201)
        const id = String(created.body.id)

        yield* settle()
        expect(yield* dialled(answered)).toBe(0)
        // 05:32:30: past the schedule, before business hours.
        yield* TestClock.adjust("150 seconds")
        yield* settle()
        expect(yield* dialled(answered)).toBe(0)
        // 05:33:59.
        yield* TestClock.adjust("89 seconds")
        yield* settle()
        expect(yield* dialled(answered)).toBe(0)
        // 05:34: both dialled, once.
        yield* TestClock.adjust("1 second")
        yield* until(
          Effect.zipWith(dialled(answered), dialled(busy), (a, b) => a + b),
          (n) => n === 2,
        )
        expect([yield* dialled(answered), yield* dialled(busy)]).toEqual([1, 1])

        // The simulator's callbacks follow on the same clock.
        yield* TestClock.adjust("1 second")
        const stats = yield* until(
          Effect.map(get(`/campaigns/${id}/stats`), (r) => r.body),
          (s) => s.completed === 1 && s.pending === 1,
        )
        expect(stats).toMatchObject({ dialled: 2, completed: 1, pending: 1 })

        // The busy line is retried two minutes after its end, not sooner.
        yield* TestClock.adjust("118 seconds")
        yield* settle()
        expect(yield* dialled(busy)).toBe(1)
        yield* TestClock.adjust("2 seconds")
        yield* until(dialled(busy), (n) => n === 2)
        yield* TestClock.adjust("1 second")
        const done = yield* until(
          Effect.map(get(`/campaigns/${id}`), (r) => r.body),
          (c) => c.status === "completed",
        )
        expect(done.status).toBe("completed")
        expect([yield* dialled(answered), yield* dialled(busy)]).toEqual([1, 2])
      }),
    60_000,
  )
})
