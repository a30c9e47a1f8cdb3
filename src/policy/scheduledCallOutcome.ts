// What a scheduled call does next once an attempt has ended: done, another attempt at a time the timing policy
// allows, or given up. Pure: the retry delay is handed in, read off the retry config's one Schedule.
import type { CallPurpose } from "../domain/CallPurpose.js"
import type { AttemptOutcome, RetryConfig } from "../domain/Retry.js"
import type { TimingConfig } from "../domain/Timing.js"
import { isRetryable } from "./retry.js"
import { retrySlot } from "./scheduling.js"

/** How an Exotel call status (terminal) reads as the outcome of an attempt. */
export const attemptOutcomeOf = (callStatus: string): AttemptOutcome => {
  switch (callStatus) {
    case "completed":
      return "completed"
    case "busy":
      return "busy"
    case "no-answer":
      return "no_answer"
    default:
      return "failed"
  }
}

export type NextStep =
  | { readonly _tag: "Completed" }
  | { readonly _tag: "Retry"; readonly dueAt: number; readonly movedBecause: string | null }
  | { readonly _tag: "GaveUp"; readonly reason: string }

export interface EndedAttempt {
  readonly outcome: AttemptOutcome
  /** Attempts made so far, this one included. */
  readonly attempts: number
  readonly endedAt: number
  /** The delay before the next attempt, from the retry schedule; undefined when the schedule is spent. */
  readonly delayMs: number | undefined
}

export const nextStep = (
  ended: EndedAttempt,
  retry: RetryConfig,
  timing: TimingConfig,
  purpose: CallPurpose,
): NextStep => {
  if (ended.outcome === "completed") return { _tag: "Completed" }
  if (!isRetryable(retry, ended.outcome)) {
    return { _tag: "GaveUp", reason: `${ended.outcome} is not retried under this call's retry configuration` }
  }
  if (ended.attempts >= retry.maxAttempts || ended.delayMs === undefined) {
    return {
      _tag: "GaveUp",
      reason: `${ended.outcome} after ${ended.attempts} of ${retry.maxAttempts} attempts`,
    }
  }
  const slot = retrySlot(ended.endedAt, ended.delayMs, timing, purpose)
  if (slot === undefined) return { _tag: "GaveUp", reason: "No allowed time for another attempt" }
  return { _tag: "Retry", dueAt: slot.dueAt, movedBecause: slot.movedBecause }
}

export type DispatchCheck =
  | { readonly _tag: "Place" }
  | { readonly _tag: "Move"; readonly dueAt: number; readonly reason: string }
  | { readonly _tag: "Never"; readonly reason: string }

/** The timing policy asked again at dispatch: the rules (or the settings) may have changed since scheduling. */
export const checkAtDispatch = (now: number, timing: TimingConfig, purpose: CallPurpose): DispatchCheck => {
  const slot = retrySlot(now, 0, timing, purpose)
  if (slot === undefined) return { _tag: "Never", reason: "No allowed time for this call's purpose" }
  if (slot.dueAt === now) return { _tag: "Place" }
  return { _tag: "Move", dueAt: slot.dueAt, reason: slot.movedBecause ?? "Not allowed now" }
}
