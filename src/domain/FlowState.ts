// The state of one Nerve voice call's flow, as the flow machine (src/actors/callFlow.ts) keeps it and the
// call's record stores it: plain data, so persistence and the outcome rules read it without the machine.
import type { CallStatus, CallType, Language, RejectionReason } from "./VoiceCall.js"

export type Step = "decision" | "prep_time" | "reason"
export type Phase = "dialing" | "ringing" | "asking" | "ended"
/** For rider pickup-ready, "accepted" is "on the way" and "rejected" is "delayed". */
export type Decision = "accepted" | "rejected"

export interface FlowState {
  readonly callType: CallType
  readonly language: Language
  readonly phase: Phase
  readonly status: CallStatus
  readonly step: Step | null
  readonly reprompts: number
  /** Digits typed so far for the current multi-digit answer (prep time). */
  readonly entry: string
  /** Every digit the caller pressed this attempt, as the seed's dtmf_digits keeps them (at most 10). */
  readonly dtmfDigits: string
  readonly decision: Decision | null
  readonly prepTimeMinutes: number | null
  readonly rejectionReason: RejectionReason | null
  readonly attempt: number
  readonly maxAttempts: number
}
