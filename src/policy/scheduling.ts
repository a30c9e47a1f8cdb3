// When a scheduled call may go out: the preferred time moved to the first instant the timing policy allows
// for its purpose, with the reason it moved; and where a retry lands after its backoff delay.
import type { CallPurpose } from "../domain/CallPurpose.js"
import type { TimingConfig } from "../domain/Timing.js"
import { checkTiming, nextAllowedInstant } from "./timing/decide.js"

export interface CallSlot {
  /** Epoch ms the call is due. */
  readonly dueAt: number
  /** Why the preferred time was not kept; null when it was. */
  readonly movedBecause: string | null
}

/**
 * The slot for a call preferred at `preferred` (or as soon as possible), asked at `now`. None when the timing
 * configuration allows no call for the purpose within the policy's horizon.
 */
export const slotFor = (
  now: number,
  preferred: number | undefined,
  timing: TimingConfig,
  purpose: CallPurpose,
): CallSlot | undefined => {
  const earliest = Math.max(now, preferred ?? now)
  const due = nextAllowedInstant(earliest, timing, purpose, "call")
  if (due === null) return undefined
  if (due !== earliest) {
    const decision = checkTiming(earliest, timing, purpose, "call")
    return { dueAt: due, movedBecause: decision.reason }
  }
  if (preferred !== undefined && preferred < now) {
    return { dueAt: due, movedBecause: "The preferred time has passed; the call goes out now" }
  }
  return { dueAt: due, movedBecause: null }
}

/** A retry waits its delay, then for the first allowed instant: a backoff never lands in DND. */
export const retrySlot = (endedAt: number, delayMs: number, timing: TimingConfig, purpose: CallPurpose) =>
  slotFor(endedAt + delayMs, undefined, timing, purpose)
