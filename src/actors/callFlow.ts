// The Nerve voice-call flows as one pure state machine: transition(state, event) → { state, commands }.
// Vendor confirmation (1 accept, 2 reject; then prep time or a reason), vendor prep time, rider assignment
// (1 accept, 2 reject) and rider pickup-ready (1 on the way, 2 delayed). Built-in mode feeds it keypad digits
// and silences from the stream; external mode feeds it the Nerve system's reports. No I/O here.
import type { Decision, FlowState, Step } from "../domain/FlowState.js"
import type { AttemptOutcome } from "../domain/Retry.js"
import type { CallStatus, CallType, DomainEventType, Language, RejectionReason } from "../domain/VoiceCall.js"
import { decidedOutcome, isUnanswered } from "../policy/callOutcome.js"

/** Re-prompts allowed at one question before the call gives up on it. */
export const maxReprompts = 2
/** Seconds without a digit after a prompt has played: a re-prompt, or the end of the prep-time digits. */
export const inputWindowSeconds = 3
export const prepTimeBounds = { min: 5, max: 120 } as const
const maxPrepDigits = 3

export type { Decision, FlowState, Phase, Step } from "../domain/FlowState.js"

export type HangupOutcome = "completed" | "busy" | "no_answer" | "failed"

export type FlowEvent =
  | { readonly _tag: "Ringing" }
  | { readonly _tag: "Answered" }
  | { readonly _tag: "Digit"; readonly digit: string }
  | { readonly _tag: "Silence" }
  | { readonly _tag: "Hangup"; readonly outcome: HangupOutcome }
  /** What an external Nerve system reports it collected. */
  | {
      readonly _tag: "Reported"
      readonly decision: Decision | null
      readonly prepTimeMinutes: number | null
      readonly rejectionReason: RejectionReason | null
    }
  /** A new attempt of a call that ended failed, busy or unanswered. */
  | { readonly _tag: "Retry" }

export type PromptKey =
  | "vendor_offer"
  | "prep_time_question"
  | "reason_question"
  | "rider_offer"
  | "pickup_question"
  | "invalid_input"
  | "thanks_accepted"
  | "thanks_prep_time"
  | "thanks_rejected"
  | "thanks_pickup"
  | "goodbye_no_input"

export type Command =
  /** Store the new state and the event in the call's log before anything else is visible outside. */
  | { readonly _tag: "Persist" }
  /** Say these prompts in order; a new Speak replaces whatever is still playing. */
  | { readonly _tag: "Speak"; readonly prompts: ReadonlyArray<PromptKey> }
  /** After the prompt has played, wait this long for a digit, then deliver Silence. */
  | { readonly _tag: "AwaitInput"; readonly seconds: number }
  | { readonly _tag: "Publish"; readonly type: DomainEventType }
  /** The attempt failed: retry through the retry policy if it allows, else publish VOICE_CALL_FAILED. */
  | { readonly _tag: "AttemptFailed"; readonly outcome: AttemptOutcome }
  /** Close the stream once the last prompt has played (with Connect Voice AI, that ends the call). */
  | { readonly _tag: "EndCall" }
  /** Recorded in the log, not applied: why. */
  | { readonly _tag: "Ignored"; readonly reason: string }

export interface Transition {
  readonly state: FlowState
  readonly commands: ReadonlyArray<Command>
}

export const initialState = (
  callType: CallType,
  language: Language,
  attempt = 1,
  maxAttempts = 3,
): FlowState => ({
  callType,
  language,
  phase: "dialing",
  status: "initiated",
  step: null,
  reprompts: 0,
  entry: "",
  dtmfDigits: "",
  decision: null,
  prepTimeMinutes: null,
  rejectionReason: null,
  attempt,
  maxAttempts,
})

export const isEnded = (state: FlowState) => state.phase === "ended"

const ignore = (state: FlowState, reason: string): Transition => ({
  state,
  commands: [{ _tag: "Ignored", reason }],
})

const persist: Command = { _tag: "Persist" }
const awaitInput: Command = { _tag: "AwaitInput", seconds: inputWindowSeconds }

const firstStep = (callType: CallType): Step => (callType === "vendor_prep_time" ? "prep_time" : "decision")

const questionFor = (callType: CallType, step: Step): PromptKey => {
  switch (step) {
    case "prep_time":
      return "prep_time_question"
    case "reason":
      return "reason_question"
    case "decision":
      return callType === "rider_assignment"
        ? "rider_offer"
        : callType === "rider_pickup_ready"
          ? "pickup_question"
          : "vendor_offer"
  }
}

const ask = (state: FlowState, step: Step, lead: ReadonlyArray<PromptKey> = []): Transition => ({
  state: { ...state, phase: "asking", step, entry: "" },
  commands: [persist, { _tag: "Speak", prompts: [...lead, questionFor(state.callType, step)] }, awaitInput],
})

/** The flow has what it came for: thank, hang up, and the call ends with its decision as its status. */
const finish = (
  state: FlowState,
  thanks: PromptKey,
  published: ReadonlyArray<DomainEventType>,
): Transition => ({
  state: { ...state, phase: "ended", status: decidedOutcome(state), step: null, entry: "" },
  commands: [
    persist,
    ...published.map((type): Command => ({ _tag: "Publish", type })),
    { _tag: "Speak", prompts: [thanks] },
    { _tag: "EndCall" },
  ],
})

/** No usable answer: ask again, or after the last re-prompt give up on this question. */
const reprompt = (state: FlowState): Transition => {
  if (state.step === null) return ignore(state, "no question is open")
  if (state.reprompts >= maxReprompts) return giveUp(state)
  return ask({ ...state, reprompts: state.reprompts + 1 }, state.step, ["invalid_input"])
}

/**
 * Out of re-prompts. A decision already made stands (the vendor accepted but typed no usable prep time: the
 * order is still accepted); without one the attempt failed.
 */
const giveUp = (state: FlowState): Transition => {
  if (state.decision === "accepted") return finish(state, "thanks_accepted", [])
  if (state.decision === "rejected") {
    return finish({ ...state, rejectionReason: "other" }, "thanks_rejected", [publishedOnReject(state)])
  }
  return {
    state: { ...state, phase: "ended", status: "failed", step: null, entry: "" },
    commands: [
      persist,
      { _tag: "Speak", prompts: ["goodbye_no_input"] },
      { _tag: "EndCall" },
      attemptFailed("failed"),
    ],
  }
}

const attemptFailed = (outcome: AttemptOutcome): Command => ({ _tag: "AttemptFailed", outcome })

const publishedOnReject = (state: FlowState): DomainEventType =>
  state.callType === "rider_assignment" ? "RIDER_REJECTED" : "VENDOR_REJECTED"

const reasons: Record<string, RejectionReason> = {
  "1": "item_unavailable",
  "2": "shop_closed",
  "3": "too_busy",
  "4": "other",
}

const accept = (state: FlowState): Transition => {
  const accepted: FlowState = { ...state, decision: "accepted", status: "accepted", reprompts: 0 }
  switch (state.callType) {
    case "vendor_confirmation": {
      const next = ask(accepted, "prep_time")
      return { state: next.state, commands: [...next.commands, { _tag: "Publish", type: "VENDOR_ACCEPTED" }] }
    }
    case "rider_assignment":
      return finish(accepted, "thanks_accepted", ["RIDER_ACCEPTED"])
    case "rider_pickup_ready":
      return finish(accepted, "thanks_pickup", [])
    case "vendor_prep_time":
      return ignore(state, "a prep-time call asks no accept question")
  }
}

const reject = (state: FlowState): Transition => {
  const rejected: FlowState = { ...state, decision: "rejected", status: "rejected", reprompts: 0 }
  switch (state.callType) {
    case "vendor_confirmation":
      return ask(rejected, "reason")
    case "rider_assignment":
      return finish(rejected, "thanks_rejected", ["RIDER_REJECTED"])
    case "rider_pickup_ready":
      return finish(rejected, "thanks_pickup", [])
    case "vendor_prep_time":
      return ignore(state, "a prep-time call asks no accept question")
  }
}

const setPrepTime = (state: FlowState, minutes: number): Transition =>
  finish({ ...state, prepTimeMinutes: minutes, status: "prep_time_set" }, "thanks_prep_time", [
    "VENDOR_PREP_TIME_SET",
  ])

const endPrepEntry = (state: FlowState): Transition => {
  const minutes = Number.parseInt(state.entry, 10)
  return Number.isInteger(minutes) && minutes >= prepTimeBounds.min && minutes <= prepTimeBounds.max
    ? setPrepTime(state, minutes)
    : reprompt(state)
}

const onDigit = (state: FlowState, digit: string): Transition => {
  if (state.phase !== "asking" || state.step === null)
    return ignore(state, `digit ${digit} while no question is open`)
  const pressed: FlowState = { ...state, dtmfDigits: (state.dtmfDigits + digit).slice(-10) }
  if (digit === "*") return ask(pressed, state.step)
  switch (state.step) {
    case "decision":
      return digit === "1" ? accept(pressed) : digit === "2" ? reject(pressed) : reprompt(pressed)
    case "reason": {
      const reason = reasons[digit]
      return reason === undefined
        ? reprompt(pressed)
        : finish({ ...pressed, rejectionReason: reason }, "thanks_rejected", ["VENDOR_REJECTED"])
    }
    case "prep_time": {
      if (digit === "#") return endPrepEntry(pressed)
      if (!/^[0-9]$/.test(digit)) return reprompt(pressed)
      const entry = pressed.entry + digit
      if (entry.length > maxPrepDigits) return reprompt(pressed)
      // Each digit restarts the 3 s window that ends the entry.
      return { state: { ...pressed, entry }, commands: [persist, awaitInput] }
    }
  }
}

const onSilence = (state: FlowState): Transition => {
  if (state.phase !== "asking") return ignore(state, "silence while no question is open")
  if (state.step === "prep_time" && state.entry.length > 0) return endPrepEntry(state)
  return reprompt(state)
}

const hangupStatus: Record<Exclude<HangupOutcome, "completed">, CallStatus> = {
  busy: "busy",
  no_answer: "no_response",
  failed: "failed",
}

const hangupAttempt: Record<Exclude<HangupOutcome, "completed">, AttemptOutcome> = {
  busy: "busy",
  no_answer: "no_answer",
  failed: "failed",
}

const onHangup = (state: FlowState, outcome: HangupOutcome): Transition => {
  // The caller hung up after deciding: the decision stands and is the call's status.
  if (state.decision !== null) {
    const published: ReadonlyArray<DomainEventType> =
      state.decision === "rejected" && state.callType === "vendor_confirmation" ? ["VENDOR_REJECTED"] : []
    const closed: FlowState = {
      ...state,
      phase: "ended",
      status: decidedOutcome(state),
      step: null,
      entry: "",
      rejectionReason:
        state.decision === "rejected" ? (state.rejectionReason ?? "other") : state.rejectionReason,
    }
    return {
      state: closed,
      commands: [persist, ...published.map((type): Command => ({ _tag: "Publish", type }))],
    }
  }
  // Answered and hung up without a decision (mid-prompt): the attempt failed.
  const kind: Exclude<HangupOutcome, "completed"> = outcome === "completed" ? "failed" : outcome
  return {
    state: { ...state, phase: "ended", status: hangupStatus[kind], step: null, entry: "" },
    commands: [persist, attemptFailed(hangupAttempt[kind])],
  }
}

type Report = Extract<FlowEvent, { _tag: "Reported" }>

/** Why a reported prep time is not taken, if it is not: the rest of the report still stands. */
const unusablePrepTime = (state: FlowState, event: Report): string | null => {
  const minutes = event.prepTimeMinutes
  if (minutes === null) return null
  if (state.callType !== "vendor_confirmation" && state.callType !== "vendor_prep_time")
    return "a rider call asks no prep time"
  if (event.decision === "rejected") return "a rejected order has no prep time"
  return Number.isInteger(minutes) && minutes >= prepTimeBounds.min && minutes <= prepTimeBounds.max
    ? null
    : `prep time ${minutes} is outside ${prepTimeBounds.min}–${prepTimeBounds.max}`
}

const onReported = (state: FlowState, event: Report): Transition => {
  const unusable = unusablePrepTime(state, event)
  if (unusable === null) return applyReport(state, event)
  const rest = applyReport(state, { ...event, prepTimeMinutes: null })
  return { state: rest.state, commands: [...rest.commands, { _tag: "Ignored", reason: unusable }] }
}

const applyReport = (state: FlowState, event: Report): Transition => {
  // Nerve asked the question itself: apply the answer as if it had been keyed at that question.
  const at = (step: Step): FlowState => ({ ...state, phase: "asking", step })
  if (event.prepTimeMinutes !== null) {
    const minutes = event.prepTimeMinutes
    if (state.decision === "rejected") return ignore(state, "a rejected order has no prep time")
    const accepted =
      state.decision === null && state.callType === "vendor_confirmation" ? accept(at("decision")) : undefined
    const done = setPrepTime(accepted?.state ?? at("prep_time"), minutes)
    return { state: done.state, commands: [...(accepted?.commands ?? []), ...done.commands] }
  }
  if (event.decision === "accepted") {
    if (state.decision !== null) return ignore(state, `already ${state.decision}`)
    return state.callType === "vendor_prep_time"
      ? ignore(state, "a prep-time call asks no accept question")
      : accept(at("decision"))
  }
  if (event.decision === "rejected") {
    if (state.callType === "vendor_prep_time")
      return ignore(state, "a prep-time call asks no accept question")
    if (state.callType !== "vendor_confirmation") {
      return state.decision === null ? reject(at("decision")) : ignore(state, `already ${state.decision}`)
    }
    if (state.decision === "accepted") return ignore(state, "already accepted")
    const rejected = state.decision === "rejected" ? at("reason") : reject(at("decision")).state
    return event.rejectionReason === null
      ? state.decision === "rejected"
        ? ignore(state, "already rejected")
        : { state: rejected, commands: [persist] }
      : finish({ ...rejected, rejectionReason: event.rejectionReason }, "thanks_rejected", [
          "VENDOR_REJECTED",
        ])
  }
  return ignore(state, "a report with nothing in it")
}

/** What a session restarted mid-question does first: ask the open question again and wait for the answer. */
export const resume = (state: FlowState): ReadonlyArray<Command> =>
  state.phase === "asking" && state.step !== null
    ? [{ _tag: "Speak", prompts: [questionFor(state.callType, state.step)] }, awaitInput]
    : []

export const transition = (state: FlowState, event: FlowEvent): Transition => {
  if (event._tag === "Retry") {
    if (!isEnded(state) || !isUnanswered(state.status))
      return ignore(state, `a ${state.status} call is not retried`)
    if (state.attempt >= state.maxAttempts) return ignore(state, "no attempts left")
    return {
      state: { ...initialState(state.callType, state.language, state.attempt + 1, state.maxAttempts) },
      commands: [persist],
    }
  }
  if (isEnded(state)) return ignore(state, `the call has ended (${state.status})`)
  switch (event._tag) {
    case "Ringing":
      return state.phase === "dialing"
        ? { state: { ...state, phase: "ringing", status: "ringing" }, commands: [persist] }
        : ignore(state, `ringing while ${state.phase}`)
    case "Answered":
      return state.phase === "dialing" || state.phase === "ringing"
        ? ask({ ...state, status: "answered" }, firstStep(state.callType))
        : ignore(state, "answered twice")
    case "Digit":
      return onDigit(state, event.digit)
    case "Silence":
      return onSilence(state)
    case "Hangup":
      return onHangup(state, event.outcome)
    case "Reported":
      return onReported(state, event)
  }
}
