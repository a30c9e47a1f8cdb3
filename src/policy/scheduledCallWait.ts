// Why a pending scheduled call has not been dialled yet, asked at an instant. The answer reuses the dispatcher's
// own decisions (checkAtDispatch for a due call, the reason the timing policy recorded when it moved one, the
// budget's bulk allowance), so the console can never explain a rule the dispatcher does not apply.
import type { CallPurpose } from "../domain/CallPurpose.js"
import type { TimingConfig } from "../domain/Timing.js"
import { checkAtDispatch } from "./scheduledCallOutcome.js"

export type WaitKind =
  | "due"
  | "not_due"
  | "dnd"
  | "business_hours"
  | "holiday"
  | "weekend"
  | "promo_window"
  | "timing"
  | "retry_backoff"
  | "rate_budget"

export interface WaitReason {
  readonly kind: WaitKind
  readonly reason: string
}

export interface PendingCall {
  readonly purpose: CallPurpose
  /** Epoch ms the call is due. */
  readonly dueAt: number
  /** Attempts made so far: more than none means the call waits out a retry. */
  readonly attempts: number
  readonly lastOutcome: string | null
  /** The timing policy's reason for its slot, as recorded when it moved the call. */
  readonly movedBecause: string | null
}

// The openings of the reasons src/policy/timing/decide.ts gives; test/policy/scheduledCallWait.test.ts asks the
// timing policy for each, so a reworded reason fails there rather than showing as "timing" here.
const timingKinds: ReadonlyArray<readonly [string, WaitKind]> = [
  ["DND hours", "dnd"],
  ["Holiday", "holiday"],
  ["Weekend", "weekend"],
  ["Outside business hours", "business_hours"],
  ["Outside the promotional window", "promo_window"],
]

export const timingKindOf = (reason: string): WaitKind =>
  timingKinds.find(([opening]) => reason.startsWith(opening))?.[1] ?? "timing"

/**
 * `bulkAllowance` is what the Exotel rate budget can give bulk work now (RateBudget.bulkAllowance over the
 * dispatcher's horizon): at 0 the dispatcher claims nothing, so a due call waits for the budget.
 */
export const whyWaiting = (
  call: PendingCall,
  now: number,
  timing: TimingConfig,
  bulkAllowance: number,
): WaitReason => {
  if (call.dueAt > now) {
    if (call.attempts > 0) {
      const outcome = call.lastOutcome === null ? "" : ` (${call.lastOutcome})`
      const backoff = `Retry backoff after attempt ${call.attempts}${outcome}`
      return {
        kind: "retry_backoff",
        reason: call.movedBecause === null ? backoff : `${backoff}; then ${call.movedBecause}`,
      }
    }
    if (call.movedBecause === null) return { kind: "not_due", reason: "Not due yet" }
    return { kind: timingKindOf(call.movedBecause), reason: call.movedBecause }
  }
  // Due: the rules (or the settings) may have changed since it was scheduled, and the dispatcher asks again.
  const check = checkAtDispatch(now, timing, call.purpose)
  if (check._tag === "Move") {
    return { kind: timingKindOf(check.reason), reason: `${check.reason}; the dispatcher moves it on` }
  }
  if (check._tag === "Never") return { kind: "timing", reason: check.reason }
  if (bulkAllowance < 1) {
    return {
      kind: "rate_budget",
      reason: "Due; the Exotel rate budget has no request to spare for bulk work",
    }
  }
  return { kind: "due", reason: "Due; the dispatcher places it at its next sweep" }
}
