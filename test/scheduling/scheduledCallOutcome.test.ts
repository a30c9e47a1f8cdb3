// The pure decisions behind the dispatcher: what an ended attempt leads to, and the timing re-check at dispatch.
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect } from "effect"
import * as fc from "fast-check"
import { callPurposes } from "../../src/domain/CallPurpose.js"
import { type AttemptOutcome, defaultRetryConfig, type RetryConfig } from "../../src/domain/Retry.js"
import { defaultTimingConfig } from "../../src/domain/Timing.js"
import { retryDelays } from "../../src/policy/retry.js"
import { attemptOutcomeOf, checkAtDispatch, nextStep } from "../../src/policy/scheduledCallOutcome.js"
import { isAllowedAt } from "../../src/policy/timing/decide.js"

const outcomes: ReadonlyArray<AttemptOutcome> = ["completed", "busy", "no_answer", "network_error", "failed"]

const retryConfig = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 10 }),
  initialDelaySeconds: fc.integer({ min: 1, max: 3600 }),
  backoffMultiplier: fc.double({ min: 1, max: 4, noNaN: true }),
  maxDelaySeconds: fc.integer({ min: 3600, max: 86_400 }),
  retryOnBusy: fc.boolean(),
  retryOnNoAnswer: fc.boolean(),
  retryOnNetworkError: fc.boolean(),
  jitter: fc.constant(0),
}) satisfies fc.Arbitrary<RetryConfig>

const instant = fc.integer({
  min: Date.parse("2026-01-01T00:00:00Z"),
  max: Date.parse("2027-01-01T00:00:00Z"),
})

describe("nextStep", () => {
  it("never retries past maxAttempts, never retries what the config does not, and lands in allowed hours", () =>
    fc.assert(
      fc.property(
        retryConfig,
        fc.constantFrom(...outcomes),
        fc.integer({ min: 1, max: 10 }),
        instant,
        fc.integer({ min: 1_000, max: 86_400_000 }),
        fc.constantFrom(...callPurposes),
        (config, outcome, attempts, endedAt, delayMs, purpose) => {
          const step = nextStep({ outcome, attempts, endedAt, delayMs }, config, defaultTimingConfig, purpose)
          if (outcome === "completed") return step._tag === "Completed"
          const retryable =
            (outcome === "busy" && config.retryOnBusy) ||
            (outcome === "no_answer" && config.retryOnNoAnswer) ||
            (outcome === "network_error" && config.retryOnNetworkError)
          if (!retryable || attempts >= config.maxAttempts) return step._tag === "GaveUp"
          return (
            step._tag === "Retry" &&
            step.dueAt >= endedAt + delayMs &&
            isAllowedAt(step.dueAt, defaultTimingConfig, purpose, "call")
          )
        },
      ),
    ))

  it.effect(
    "takes its delays from the retry schedule: 300 s, then 600 s, then gives up (the seed's default)",
    () =>
      Effect.gen(function* () {
        const delays = (yield* retryDelays(defaultRetryConfig)).map(Duration.toMillis)
        expect(delays).toEqual([300_000, 600_000])
        const endedAt = Date.parse("2026-11-25T06:00:00Z")
        const ended = (attempts: number) =>
          nextStep(
            { outcome: "busy", attempts, endedAt, delayMs: delays[attempts - 1] },
            defaultRetryConfig,
            defaultTimingConfig,
            "payment_reminder",
          )
        expect(ended(1)).toEqual({ _tag: "Retry", dueAt: endedAt + 300_000, movedBecause: null })
        expect(ended(2)).toEqual({ _tag: "Retry", dueAt: endedAt + 600_000, movedBecause: null })
        expect(ended(3)._tag).toBe("GaveUp")
      }),
  )

  it("moves a retry that would land in DND to the next morning", () => {
    // 20:55 in Kolkata; five minutes later is DND (21:00–09:00).
    const endedAt = Date.parse("2026-11-25T20:55:00+05:30")
    const step = nextStep(
      { outcome: "no_answer", attempts: 1, endedAt, delayMs: 300_000 },
      defaultRetryConfig,
      defaultTimingConfig,
      "feedback_request",
    )
    expect(step).toMatchObject({ _tag: "Retry", dueAt: Date.parse("2026-11-26T09:00:00+05:30") })
    expect(step._tag === "Retry" && step.movedBecause).toContain("DND")
  })
})

describe("checkAtDispatch", () => {
  it("places exactly when the timing policy allows, and otherwise moves to a later allowed instant", () =>
    fc.assert(
      fc.property(instant, fc.constantFrom(...callPurposes), (now, purpose) => {
        const check = checkAtDispatch(now, defaultTimingConfig, purpose)
        if (isAllowedAt(now, defaultTimingConfig, purpose, "call")) return check._tag === "Place"
        return (
          check._tag === "Move" && check.dueAt > now && isAllowedAt(check.dueAt, defaultTimingConfig, purpose)
        )
      }),
    ))
})

describe("attemptOutcomeOf", () => {
  it("reads Exotel's terminal statuses as attempt outcomes", () => {
    expect(["completed", "busy", "no-answer", "failed", "canceled"].map(attemptOutcomeOf)).toEqual([
      "completed",
      "busy",
      "no_answer",
      "failed",
      "failed",
    ])
  })
})
