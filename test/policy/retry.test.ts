import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Ref, TestClock } from "effect"
import * as fc from "fast-check"
import { defaultRetryConfig, type RetryConfig } from "../../src/domain/Retry.js"
import { isRetryable, retryDelays, retrySchedule } from "../../src/policy/retry.js"

const delaysOf = (config: RetryConfig) =>
  Effect.map(retryDelays(config), (delays) => delays.map(Duration.toSeconds))

describe("retrySchedule", () => {
  it.effect(
    "waits 5 then 10 minutes, then stops for the seed's default (3 attempts, 300 s, ×2, cap 3600 s)",
    () =>
      Effect.gen(function* () {
        expect(yield* delaysOf(defaultRetryConfig)).toEqual([300, 600])
      }),
  )

  it.effect("caps each delay at maxDelaySeconds", () =>
    Effect.gen(function* () {
      const config = {
        ...defaultRetryConfig,
        maxAttempts: 6,
        initialDelaySeconds: 1000,
        maxDelaySeconds: 3000,
      }
      expect(yield* delaysOf(config)).toEqual([1000, 2000, 3000, 3000, 3000])
    }),
  )

  it.effect("retries a failing effect exactly maxAttempts times in all, on virtual time", () =>
    Effect.gen(function* () {
      const attempts = yield* Ref.make(0)
      const fiber = yield* Ref.update(attempts, (n) => n + 1).pipe(
        Effect.zipRight(Effect.fail("busy")),
        Effect.retry(retrySchedule({ ...defaultRetryConfig, maxAttempts: 4, initialDelaySeconds: 60 })),
        Effect.fork,
      )
      yield* TestClock.adjust("59 seconds")
      expect(yield* Ref.get(attempts)).toBe(1)
      yield* TestClock.adjust("1 second")
      expect(yield* Ref.get(attempts)).toBe(2)
      yield* TestClock.adjust("2 minutes")
      expect(yield* Ref.get(attempts)).toBe(3)
      yield* TestClock.adjust("4 minutes")
      expect(yield* Fiber.join(fiber).pipe(Effect.flip)).toBe("busy")
      expect(yield* Ref.get(attempts)).toBe(4)
    }),
  )

  it.effect("keeps every jittered delay within ±jitter of its base and under the cap", () =>
    Effect.gen(function* () {
      const arbitrary = fc.record({
        maxAttempts: fc.integer({ min: 1, max: 10 }),
        initialDelaySeconds: fc.integer({ min: 1, max: 3600 }),
        backoffMultiplier: fc.double({ min: 1, max: 5, noNaN: true }),
        extra: fc.integer({ min: 0, max: 20_000 }),
        jitter: fc.double({ min: 0, max: 1, noNaN: true }),
      })
      const samples = fc.sample(arbitrary, { numRuns: 1000, seed: 42 })
      for (const s of samples) {
        const config: RetryConfig = {
          ...defaultRetryConfig,
          maxAttempts: s.maxAttempts,
          initialDelaySeconds: s.initialDelaySeconds,
          backoffMultiplier: s.backoffMultiplier,
          maxDelaySeconds: s.initialDelaySeconds + s.extra,
          jitter: s.jitter,
        }
        const delays = yield* delaysOf(config)
        expect(delays.length).toBe(config.maxAttempts - 1)
        delays.forEach((delay, i) => {
          const base = config.initialDelaySeconds * config.backoffMultiplier ** i
          expect(delay).toBeLessThanOrEqual(config.maxDelaySeconds + 1e-6)
          expect(delay).toBeGreaterThanOrEqual(
            Math.min(base * (1 - config.jitter), config.maxDelaySeconds) - 1e-6,
          )
        })
      }
    }),
  )
})

describe("isRetryable", () => {
  it("follows the per-outcome switches and never retries a completed or failed call", () => {
    const none = {
      ...defaultRetryConfig,
      retryOnBusy: false,
      retryOnNoAnswer: false,
      retryOnNetworkError: false,
    }
    expect(
      ["busy", "no_answer", "network_error"].map((o) => isRetryable(defaultRetryConfig, o as never)),
    ).toEqual([true, true, true])
    expect(isRetryable(none, "busy")).toBe(false)
    expect(isRetryable(defaultRetryConfig, "completed")).toBe(false)
    expect(isRetryable(defaultRetryConfig, "failed")).toBe(false)
  })
})
