// How failed calls are retried: the seed's retry configuration, plus jitter.
import { Schema } from "effect"

const int = (min: number, max: number) =>
  Schema.Number.pipe(
    Schema.filter((n) => Number.isInteger(n) && n >= min && n <= max, {
      message: (issue) => `must be a whole number from ${min} to ${max}, got ${JSON.stringify(issue.actual)}`,
    }),
  )

const between = (min: number, max: number) =>
  Schema.Number.pipe(
    Schema.filter((n) => Number.isFinite(n) && n >= min && n <= max, {
      message: (issue) => `must be a number from ${min} to ${max}, got ${JSON.stringify(issue.actual)}`,
    }),
  )

export const RetryConfig = Schema.Struct({
  maxAttempts: int(1, 10),
  initialDelaySeconds: int(1, 86_400),
  backoffMultiplier: between(1, 10),
  maxDelaySeconds: int(1, 86_400),
  retryOnBusy: Schema.Boolean,
  retryOnNoAnswer: Schema.Boolean,
  retryOnNetworkError: Schema.Boolean,
  /** Each delay is spread uniformly over ±jitter of itself, so retries of many calls do not arrive together. */
  jitter: between(0, 1),
}).pipe(
  Schema.filter(
    (c) =>
      c.maxDelaySeconds >= c.initialDelaySeconds || {
        path: ["maxDelaySeconds"],
        message: `must not be less than initialDelaySeconds (${c.initialDelaySeconds}), got ${c.maxDelaySeconds}`,
      },
  ),
  Schema.annotations({ identifier: "RetryConfig" }),
)
export type RetryConfig = typeof RetryConfig.Type

export const defaultRetryConfig: RetryConfig = {
  maxAttempts: 3,
  initialDelaySeconds: 300,
  backoffMultiplier: 2,
  maxDelaySeconds: 3600,
  retryOnBusy: true,
  retryOnNoAnswer: true,
  retryOnNetworkError: true,
  jitter: 0,
}

/** How an attempt ended, as far as retrying is concerned. */
export type AttemptOutcome = "completed" | "busy" | "no_answer" | "network_error" | "failed"
