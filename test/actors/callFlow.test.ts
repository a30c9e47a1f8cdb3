import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import {
  type Command,
  type FlowEvent,
  initialState,
  isEnded,
  maxReprompts,
  transition,
} from "../../src/actors/callFlow.js"
import type { CallType } from "../../src/domain/VoiceCall.js"
import { callTypes, digit, eventArb, run } from "../support/callFlowArbitraries.js"

const digits = (s: string) => [...s].map(digit)
const answered = (callType: CallType) => run(initialState(callType, "hi"), [{ _tag: "Answered" }]).state
const published = (commands: ReadonlyArray<Command>) =>
  commands.flatMap((c) => (c._tag === "Publish" ? [c.type] : []))

describe("vendor confirmation", () => {
  it("a vendor who presses 1 and then 30# has accepted with a 30-minute prep time", () => {
    const { state, commands } = run(answered("vendor_confirmation"), digits("130#"))
    expect(state).toMatchObject({
      phase: "ended",
      status: "prep_time_set",
      decision: "accepted",
      prepTimeMinutes: 30,
    })
    expect(published(commands)).toEqual(["VENDOR_ACCEPTED", "VENDOR_PREP_TIME_SET"])
  })

  it("the prep time ends after 3 s without a digit", () => {
    const { state } = run(answered("vendor_confirmation"), [...digits("145"), { _tag: "Silence" }])
    expect(state).toMatchObject({ status: "prep_time_set", prepTimeMinutes: 45 })
  })

  it("a prep time out of 5–120 is asked again", () => {
    const { state, commands } = run(answered("vendor_confirmation"), digits("14#"))
    expect(state).toMatchObject({ phase: "asking", step: "prep_time", reprompts: 1, prepTimeMinutes: null })
    expect(commands.at(-2)).toEqual({ _tag: "Speak", prompts: ["invalid_input", "prep_time_question"] })
  })

  it("a vendor who presses 2 is asked for a reason", () => {
    const { state } = run(answered("vendor_confirmation"), digits("2"))
    expect(state).toMatchObject({ phase: "asking", step: "reason", decision: "rejected" })
    const done = run(state, digits("3"))
    expect(done.state).toMatchObject({ phase: "ended", status: "rejected", rejectionReason: "too_busy" })
    expect(published(done.commands)).toEqual(["VENDOR_REJECTED"])
  })

  it("* repeats the current prompt without using a re-prompt", () => {
    const { state, commands } = run(answered("vendor_confirmation"), digits("*"))
    expect(state).toMatchObject({ step: "decision", reprompts: 0 })
    expect(commands).toContainEqual({ _tag: "Speak", prompts: ["vendor_offer"] })
  })

  it("gives up after the last re-prompt and reports a failed attempt", () => {
    const { state, commands } = run(
      answered("vendor_confirmation"),
      Array.from({ length: maxReprompts + 1 }, (): FlowEvent => ({ _tag: "Silence" })),
    )
    expect(state).toMatchObject({ phase: "ended", status: "failed" })
    expect(commands).toContainEqual({ _tag: "AttemptFailed", outcome: "failed" })
  })

  it("busy and unanswered calls end as such and ask for a retry", () => {
    const busy = run(initialState("vendor_confirmation", "en"), [{ _tag: "Hangup", outcome: "busy" }])
    expect(busy.state.status).toBe("busy")
    expect(busy.commands).toContainEqual({ _tag: "AttemptFailed", outcome: "busy" })
    const none = run(initialState("vendor_confirmation", "en"), [
      { _tag: "Ringing" },
      { _tag: "Hangup", outcome: "no_answer" },
    ])
    expect(none.state.status).toBe("no_response")
    const retried = transition(none.state, { _tag: "Retry" })
    expect(retried.state).toMatchObject({ phase: "dialing", status: "initiated", attempt: 2 })
  })

  it("an event for a finished call is recorded, not applied", () => {
    const done = run(answered("vendor_confirmation"), digits("130#")).state
    const again = transition(done, digit("2"))
    expect(again.state).toBe(done)
    expect(again.commands).toEqual([{ _tag: "Ignored", reason: "the call has ended (prep_time_set)" }])
  })
})

describe("external Nerve reports", () => {
  it("accepted then prep_time_set publish the same events as keyed digits", () => {
    const accepted = transition(initialState("vendor_confirmation", "hi"), {
      _tag: "Reported",
      decision: "accepted",
      prepTimeMinutes: null,
      rejectionReason: null,
    })
    const prep = transition(accepted.state, {
      _tag: "Reported",
      decision: "accepted",
      prepTimeMinutes: 25,
      rejectionReason: null,
    })
    expect(published([...accepted.commands, ...prep.commands])).toEqual([
      "VENDOR_ACCEPTED",
      "VENDOR_PREP_TIME_SET",
    ])
    expect(prep.state).toMatchObject({ phase: "ended", status: "prep_time_set", prepTimeMinutes: 25 })
  })
})

// ---- properties ------------------------------------------------------------------------------------------

/** Any state reachable from a fresh call by any events. */
const reachableArb = fc
  .tuple(fc.constantFrom(...callTypes), fc.array(eventArb, { maxLength: 30 }))
  .map(([callType, events]) => run(initialState(callType, "hi"), events).state)

// Events that make progress: a caller who never presses * and never stays on the line forever.
const progressArb = fc.oneof(
  fc.constantFrom("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "#", "A").map(digit),
  fc.constant<FlowEvent>({ _tag: "Silence" }),
)

const runs = { numRuns: 1000 }

describe("properties of the flow", () => {
  it("from any reachable state, answered, any * -free input ends the call within the re-prompt bounds", () => {
    // Three questions at most, each asked at most maxReprompts + 1 times, each answer at most 4 key presses.
    const bound = 3 * (maxReprompts + 1) * 5
    fc.assert(
      fc.property(
        reachableArb,
        fc.array(progressArb, { minLength: bound, maxLength: bound + 10 }),
        (start, input) => {
          const { state } = run(start, [{ _tag: "Answered" }, ...input])
          expect(isEnded(state)).toBe(true)
        },
      ),
      runs,
    )
  })

  it("a hang-up always ends the call, and an ended call never changes", () => {
    fc.assert(
      fc.property(
        reachableArb,
        fc.array(
          eventArb.filter((e) => e._tag !== "Hangup"),
          { maxLength: 20 },
        ),
        (start, after) => {
          const ended = run(start, [{ _tag: "Hangup", outcome: "completed" }]).state
          expect(isEnded(ended)).toBe(true)
          const later = run(ended, after)
          expect(later.state).toEqual(ended)
          expect(later.commands.every((c) => c._tag === "Ignored")).toBe(true)
        },
      ),
      runs,
    )
  })

  it("re-prompts never exceed their bound", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...callTypes),
        fc.array(eventArb, { maxLength: 60 }),
        (callType, events) => {
          let state = initialState(callType, "en")
          for (const event of events) {
            state = transition(state, event).state
            expect(state.reprompts).toBeLessThanOrEqual(maxReprompts)
          }
        },
      ),
      runs,
    )
  })

  it("invalid digits never accept or reject an order", () => {
    const invalid = fc.constantFrom("0", "3", "4", "5", "6", "7", "8", "9", "#", "A", "").map(digit)
    fc.assert(
      fc.property(
        fc.constantFrom(...callTypes),
        fc.array(fc.oneof(invalid, fc.constant<FlowEvent>({ _tag: "Silence" }), fc.constant(digit("*"))), {
          maxLength: 40,
        }),
        (callType, events) => {
          const { state, commands } = run(answered(callType), events)
          expect(state.decision).toBeNull()
          expect(published(commands).filter((t) => t.endsWith("ACCEPTED") || t.endsWith("REJECTED"))).toEqual(
            [],
          )
        },
      ),
      runs,
    )
  })

  it("only a 1 at the decision question accepts, only a 2 rejects", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...callTypes),
        fc.array(eventArb, { maxLength: 40 }),
        (callType, events) => {
          let state = answered(callType)
          for (const event of events) {
            const before = state
            state = transition(state, event).state
            if (before.decision === null && state.decision !== null && event._tag === "Digit") {
              expect(before.step).toBe("decision")
              expect(event.digit).toBe(state.decision === "accepted" ? "1" : "2")
            }
          }
        },
      ),
      runs,
    )
  })

  it("a recorded prep time is always within 5–120 minutes", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...callTypes),
        fc.array(eventArb, { maxLength: 60 }),
        (callType, events) => {
          const { state } = run(initialState(callType, "hi"), events)
          if (state.prepTimeMinutes !== null) {
            expect(state.prepTimeMinutes).toBeGreaterThanOrEqual(5)
            expect(state.prepTimeMinutes).toBeLessThanOrEqual(120)
          }
        },
      ),
      runs,
    )
  })
})
