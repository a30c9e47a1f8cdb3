// How a voice call's flow state reads on the record. The call's status ends as its outcome — the decision, where
// the order system looks first — and each attempt keeps both how its line ended and what it got. Pure.
import { Schema } from "effect"
import type { FlowState } from "../domain/FlowState.js"
import { CallOutcome, type CallStatus } from "../domain/VoiceCall.js"

const isOutcome = Schema.is(CallOutcome)

/** A flow that ran to its end got a prep time (so an acceptance), else its decision; with neither, `completed`. */
export const decidedOutcome = (state: Pick<FlowState, "decision" | "prepTimeMinutes">): CallOutcome =>
  state.prepTimeMinutes !== null ? "prep_time_set" : (state.decision ?? "completed")

/** The outcomes of an attempt that got no answer: the ones a retry may follow. */
export const isUnanswered = (status: CallStatus): boolean =>
  status === "failed" || status === "busy" || status === "no_response"

/** The outcome of the current attempt: none while it is on. */
export const outcomeOf = (state: FlowState): CallOutcome | null =>
  state.phase === "ended" && isOutcome(state.status) ? state.status : null

/**
 * An attempt's status says how its line went: the flow's status while it is on, then `completed` when the flow
 * got its answer, or how it failed (`failed`, `busy`, `no_response`). Its outcome says what it got.
 */
export const attemptStatusOf = (state: FlowState): CallStatus =>
  state.phase !== "ended" || isUnanswered(state.status) ? state.status : "completed"
