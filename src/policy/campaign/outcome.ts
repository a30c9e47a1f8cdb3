// What an attempt on a campaign contact came to, and what happens next: another attempt after the retry
// schedule's delay (landing inside allowed hours), or the contact is done.
import { Duration } from "effect"
import type { CallPurpose } from "../../domain/CallPurpose.js"
import type { ContactOutcome } from "../../domain/Campaign.js"
import type { RetryConfig } from "../../domain/Retry.js"
import type { TimingConfig } from "../../domain/Timing.js"
import { isRetryable } from "../retry.js"
import { retrySlot } from "../scheduling.js"

/**
 * A terminal Exotel call status as an outcome. Exotel's `failed` means the network could not put the call
 * through, so it is retried as a network error; a call Exotel refused outright never reaches a status.
 */
export const outcomeOfCallStatus = (status: string): ContactOutcome => {
  switch (status) {
    case "completed":
      return "completed"
    case "busy":
      return "busy"
    case "no-answer":
      return "no_answer"
    case "failed":
      return "network_error"
    default:
      return "failed"
  }
}

/** Outcomes that count against a campaign's error-rate bound: the line or the platform failed, not the person. */
export const isError = (outcome: ContactOutcome) => outcome === "network_error" || outcome === "failed"

export type Resolution =
  | { readonly _tag: "Retry"; readonly at: number }
  | { readonly _tag: "Done"; readonly reason: string }

export interface AttemptEnd {
  readonly outcome: ContactOutcome
  /** Attempts made so far, this one included. */
  readonly attempts: number
  readonly endedAt: number
  readonly retry: RetryConfig
  /** The retry schedule's delays, in order (delays[0] follows the first attempt). */
  readonly delays: ReadonlyArray<Duration.Duration>
  readonly timing: TimingConfig
  readonly purpose: CallPurpose
}

export const resolveAttempt = (end: AttemptEnd): Resolution => {
  const { outcome } = end
  if (outcome === "completed" || outcome === "abandoned" || outcome === "skipped") {
    return { _tag: "Done", reason: outcome }
  }
  if (!isRetryable(end.retry, outcome)) return { _tag: "Done", reason: `${outcome} is not retried` }
  const delay = end.delays[end.attempts - 1]
  if (end.attempts >= end.retry.maxAttempts || delay === undefined) {
    return { _tag: "Done", reason: `${outcome} after ${end.attempts} of ${end.retry.maxAttempts} attempts` }
  }
  const slot = retrySlot(end.endedAt, Duration.toMillis(delay), end.timing, end.purpose)
  return slot === undefined
    ? { _tag: "Done", reason: "no allowed time for a retry" }
    : { _tag: "Retry", at: slot.dueAt }
}
