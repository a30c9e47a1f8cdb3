// The retry configuration as one Effect Schedule, and which outcomes deserve another attempt.
import { Chunk, Duration, Effect, Schedule } from "effect"
import type { AttemptOutcome, RetryConfig } from "../domain/Retry.js"

/**
 * Waits initialDelay, then multiplies by backoffMultiplier each time, spread by ±jitter and capped at
 * maxDelay, for at most maxAttempts − 1 retries (the first attempt is not a retry). Outputs each delay.
 */
export const retrySchedule = (config: RetryConfig): Schedule.Schedule<Duration.Duration, unknown> => {
  const cap = Duration.seconds(config.maxDelaySeconds)
  const base = Schedule.exponential(Duration.seconds(config.initialDelaySeconds), config.backoffMultiplier)
  const spread =
    config.jitter > 0 ? Schedule.jitteredWith(base, { min: 1 - config.jitter, max: 1 + config.jitter }) : base
  return spread.pipe(
    Schedule.modifyDelay((_, delay) => Duration.min(delay, cap)),
    Schedule.intersect(Schedule.recurs(config.maxAttempts - 1)),
    Schedule.delays,
  )
}

/** Whether an attempt that ended so is retried at all under this configuration. */
export const isRetryable = (config: RetryConfig, outcome: AttemptOutcome): boolean => {
  switch (outcome) {
    case "busy":
      return config.retryOnBusy
    case "no_answer":
      return config.retryOnNoAnswer
    case "network_error":
      return config.retryOnNetworkError
    case "completed":
    case "failed":
      return false
  }
}

/**
 * The delays before each retry, in order, read off the same schedule — for work that must survive a restart
 * and so stores "when next" instead of sleeping. Jitter draws from the Random service.
 */
export const retryDelays = (config: RetryConfig) =>
  Effect.map(
    Schedule.run(
      retrySchedule(config),
      0,
      Array.from({ length: config.maxAttempts }, () => undefined),
    ),
    // run also emits the output of the step that ends the schedule, which is no delay.
    (chunk): ReadonlyArray<Duration.Duration> =>
      Chunk.toReadonlyArray(chunk).slice(0, config.maxAttempts - 1),
  )

/**
 * The schedule, but never sooner than the failure asks (an HTTP Retry-After): intersect waits the longer of
 * the two delays, so the upstream's own wait is a floor under the backoff and the attempt limit still holds.
 */
export const honouringRetryAfter = <E>(
  schedule: Schedule.Schedule<Duration.Duration, unknown>,
  retryAfterMs: (error: E) => number | null,
): Schedule.Schedule<[Duration.Duration, E], E> =>
  Schedule.intersect(
    schedule,
    Schedule.identity<E>().pipe(Schedule.addDelay((error) => Duration.millis(retryAfterMs(error) ?? 0))),
  )
