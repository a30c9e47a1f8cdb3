import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import {
  type FlowEvent,
  type FlowState,
  initialState,
  isEnded,
  transition,
} from "../../src/actors/callFlow.js"
import { CallOutcome, type CallStatus } from "../../src/domain/VoiceCall.js"
import { attemptStatusOf, isUnanswered, outcomeOf } from "../../src/policy/callOutcome.js"
import { callTypes, digit, eventArb, run } from "../support/callFlowArbitraries.js"

const runs = { numRuns: 1000 }
const outcomes: ReadonlyArray<string> = CallOutcome.literals

/** What a call can hear, retries included: a retry after each attempt that got no answer, as the policy would. */
const withRetriesArb = fc.array(
  fc.oneof(
    { weight: 8, arbitrary: eventArb },
    { weight: 1, arbitrary: fc.constant<FlowEvent>({ _tag: "Retry" }) },
  ),
  { maxLength: 60 },
)

const callArb = fc.record({
  callType: fc.constantFrom(...callTypes),
  maxAttempts: fc.integer({ min: 1, max: 4 }),
  events: withRetriesArb,
})

interface AttemptRow {
  readonly attempt: number
  readonly status: CallStatus
  readonly outcome: string | null
}

/** The attempts as the repository keeps them: each persisted state upserts the row of its attempt. */
const attemptsOf = (start: FlowState, events: ReadonlyArray<FlowEvent>) => {
  const rows = new Map<number, AttemptRow>([
    [start.attempt, { attempt: start.attempt, status: attemptStatusOf(start), outcome: null }],
  ])
  let state = start
  for (const event of events) {
    const t = transition(state, event)
    if (t.commands.some((c) => c._tag === "Persist")) {
      state = t.state
      rows.set(state.attempt, {
        attempt: state.attempt,
        status: attemptStatusOf(state),
        outcome: outcomeOf(state),
      })
    }
  }
  return { state, attempts: [...rows.values()].sort((a, b) => a.attempt - b.attempt) }
}

const published = (start: FlowState, events: ReadonlyArray<FlowEvent>) =>
  run(start, events).commands.flatMap((c) => (c._tag === "Publish" ? [c.type] : []))

describe("a call's status ends as its outcome", () => {
  it("a vendor who presses 1 ends accepted with the prep time, one who presses 2 ends rejected", () => {
    const answered = run(initialState("vendor_confirmation", "hi"), [{ _tag: "Answered" }]).state
    expect(run(answered, [..."130#"].map(digit)).state).toMatchObject({ status: "prep_time_set" })
    expect(run(answered, [..."24"].map(digit)).state).toMatchObject({ status: "rejected" })
    // Accepted, then hung up before typing a prep time: still accepted.
    expect(run(answered, [digit("1"), { _tag: "Hangup", outcome: "completed" }]).state).toMatchObject({
      phase: "ended",
      status: "accepted",
      prepTimeMinutes: null,
    })
  })

  it("an ended call's status is one of the seed's outcomes and says what was decided", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...callTypes),
        fc.array(eventArb, { maxLength: 40 }),
        (callType, events) => {
          const { state } = run(initialState(callType, "hi"), events)
          expect(outcomeOf(state) !== null).toBe(isEnded(state))
          if (!isEnded(state)) return
          expect(outcomes).toContain(state.status)
          expect(state.status === "prep_time_set").toBe(state.prepTimeMinutes !== null)
          expect(state.status === "accepted").toBe(
            state.decision === "accepted" && state.prepTimeMinutes === null,
          )
          expect(state.status === "rejected").toBe(state.decision === "rejected")
          expect(isUnanswered(state.status)).toBe(state.decision === null && state.prepTimeMinutes === null)
          // A vendor who rejects always has a reason on the record (`other` when none was keyed).
          if (state.status === "rejected" && callType === "vendor_confirmation")
            expect(state.rejectionReason).not.toBeNull()
          if (state.status === "prep_time_set") {
            expect(["vendor_confirmation", "vendor_prep_time"]).toContain(callType)
            expect(state.decision ?? "accepted").toBe("accepted")
          }
        },
      ),
      runs,
    )
  })

  it("the status agrees with the events the order system was sent", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...callTypes),
        fc.array(eventArb, { maxLength: 40 }),
        (callType, events) => {
          const start = initialState(callType, "hi")
          const { state } = run(start, events)
          const sent = published(start, events)
          const vendor = callType === "vendor_confirmation"
          const rider = callType === "rider_assignment"
          const decided = isEnded(state) ? state.status : null
          if (vendor) {
            expect(sent.includes("VENDOR_ACCEPTED")).toBe(state.decision === "accepted")
            expect(sent.includes("VENDOR_REJECTED")).toBe(decided === "rejected")
          }
          if (rider) {
            expect(sent.includes("RIDER_ACCEPTED")).toBe(decided === "accepted")
            expect(sent.includes("RIDER_REJECTED")).toBe(decided === "rejected")
          }
          expect(sent.includes("VENDOR_PREP_TIME_SET")).toBe(decided === "prep_time_set")
        },
      ),
      runs,
    )
  })
})

describe("every attempt stays on the record", () => {
  it("a retry after no answer keeps the earlier attempt's no_response", () => {
    const start = initialState("vendor_confirmation", "hi", 1, 3)
    const { attempts, state } = attemptsOf(start, [
      { _tag: "Ringing" },
      { _tag: "Hangup", outcome: "no_answer" },
      { _tag: "Retry" },
      { _tag: "Answered" },
      ...[..."125#"].map(digit),
    ])
    expect(state).toMatchObject({ attempt: 2, status: "prep_time_set", prepTimeMinutes: 25 })
    expect(attempts).toEqual([
      { attempt: 1, status: "no_response", outcome: "no_response" },
      { attempt: 2, status: "completed", outcome: "prep_time_set" },
    ])
  })

  it("attempts are numbered 1…n; each before the last got no answer; the last's outcome is the call's", () => {
    fc.assert(
      fc.property(callArb, ({ callType, maxAttempts, events }) => {
        const start = initialState(callType, "hi", 1, maxAttempts)
        const { attempts, state } = attemptsOf(start, events)
        expect(attempts.map((a) => a.attempt)).toEqual(attempts.map((_, i) => i + 1))
        expect(attempts.length).toBe(state.attempt)
        expect(attempts.length).toBeLessThanOrEqual(maxAttempts)
        for (const earlier of attempts.slice(0, -1)) {
          expect(["failed", "busy", "no_response"]).toContain(earlier.outcome)
          expect(earlier.status).toBe(earlier.outcome)
        }
        const last = attempts.at(-1)
        expect(last?.outcome ?? null).toBe(isEnded(state) ? state.status : null)
        // How the line went: the flow's status while on; completed once it got its answer, else how it failed.
        if (last !== undefined && last.outcome !== null) {
          expect(last.status).toBe(isUnanswered(state.status) ? state.status : "completed")
        }
      }),
      runs,
    )
  })

  it("only a call that got no answer is retried", () => {
    fc.assert(
      fc.property(callArb, ({ callType, maxAttempts, events }) => {
        const { state } = run(initialState(callType, "hi", 1, maxAttempts), events)
        const retried = transition(state, { _tag: "Retry" })
        const applies = retried.commands.some((c) => c._tag === "Persist")
        expect(applies).toBe(isEnded(state) && isUnanswered(state.status) && state.attempt < maxAttempts)
        if (applies) expect(retried.state).toMatchObject({ attempt: state.attempt + 1, status: "initiated" })
      }),
      runs,
    )
  })
})
