// Whether a call for a purpose may be placed now: promotional calls keep to their window (TRAI: 09–21 IST
// and outside DND). Other purposes are the caller's judgement — an agent returning a customer's call at
// 21:30 is no telemarketing.
import type { CallPurpose } from "../domain/CallPurpose.js"
import type { TimingConfig } from "../domain/Timing.js"
import { checkTiming } from "./timing/decide.js"
import { purposeClassOf } from "./timing/purposeRules.js"

export interface CallRefusal {
  readonly message: string
  readonly nextAvailableTime: number | null
}

export const callRefusal = (
  instant: number,
  purpose: CallPurpose | undefined,
  timing: TimingConfig,
): CallRefusal | undefined => {
  if (purpose === undefined || purposeClassOf(purpose) !== "promotional") return undefined
  const decision = checkTiming(instant, timing, purpose, "call")
  if (decision.canCall) return undefined
  return {
    message: `A ${purpose} call is not allowed now: ${decision.reason ?? "outside its window"}`,
    nextAvailableTime: decision.nextAvailableTime,
  }
}
