// The scripted call's pure flow: what a scheduled or agentless campaign call says, and what a feedback request
// makes of the keys pressed.
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import {
  type CallMessage,
  callMessageFor,
  initialScriptedState,
  maxReprompts,
  ratingReprompt,
  type ScriptedCallEvent,
  type ScriptedCallState,
  transition,
} from "../../src/actors/scriptedCallFlow.js"
import { callPurposes } from "../../src/domain/CallPurpose.js"

const feedback = callMessageFor("feedback_request", "en", { orderId: "A-17" }, null)
const reminder = callMessageFor(
  "payment_reminder",
  "en",
  { amount: "450", orderId: "A-17", dueDate: "5 December" },
  null,
)

const run = (call: CallMessage, events: ReadonlyArray<ScriptedCallEvent>) =>
  events.reduce<{ state: ScriptedCallState; said: Array<string>; ended: boolean }>(
    (acc, event) => {
      const step = transition(call, acc.state, event)
      return {
        state: step.state,
        said: [...acc.said, ...step.commands.flatMap((c) => (c._tag === "Speak" ? [c.text] : []))],
        ended: acc.ended || step.commands.some((c) => c._tag === "EndCall"),
      }
    },
    { state: initialScriptedState, said: [], ended: false },
  )

const digit = (d: string): ScriptedCallEvent => ({ _tag: "Digit", digit: d })
const answered: ScriptedCallEvent = { _tag: "Answered" }
const silence: ScriptedCallEvent = { _tag: "Silence" }

const event = fc.oneof(
  fc.constant(silence),
  fc.constantFrom(..."0123456789*#".split("")).map(digit),
) as fc.Arbitrary<ScriptedCallEvent>

describe("callMessageFor", () => {
  it("fills the purpose's script with the call's context", () => {
    expect(reminder.message).toBe(
      "Hello, this is Mangwale calling about a pending payment. A payment of four hundred and fifty rupees for order A one seven is due on 5 December.",
    )
    expect(reminder.closing).toBe("Please ignore this call if you have already paid. Thank you!")
    expect(reminder.asksRating).toBe(false)
    expect(feedback.asksRating).toBe(true)
  })

  it("speaks a Hindi call in Hindi: ids digit by digit, counts and amounts in Hindi words", () => {
    const hindi = callMessageFor(
      "order_confirmation",
      "hi",
      { orderId: "ORDER-407", itemCount: "3", total: "450" },
      null,
    )
    expect(hindi.language).toBe("hi")
    expect(hindi.message).toBe(
      "नमस्ते, यह मंगवाले से आपके ऑर्डर की पुष्टि के लिए कॉल है। आपका ऑर्डर नंबर चार शून्य सात, तीन आइटम, कुल चार सौ पचास रुपये, सफलतापूर्वक दर्ज हो गया है।",
    )
    expect(hindi.closing).toBe("मंगवाले से ऑर्डर करने के लिए धन्यवाद!")
    const asked = callMessageFor("feedback_request", "hi", { orderId: "12" }, null)
    const heard = run(asked, [answered, digit("9")])
    expect(heard.said).toEqual([asked.message, ratingReprompt.hi])
  })

  it("leaves out a placeholder nobody gave a value instead of reading its braces aloud", () => {
    const bare = callMessageFor("payment_reminder", "en", {}, null)
    expect(bare.message).not.toMatch(/[{}₹]/)
    expect(bare.message).toContain("A payment of for order is due on.")
  })

  it("speaks a campaign's own rendered message in place of the script, and asks no rating then", () => {
    const own = callMessageFor("feedback_request", "en", {}, "Namaste Asha, your Diwali offer is ready.")
    expect(own.message).toBe(
      "Hello, this is Mangwale calling about your recent order. Namaste Asha, your Diwali offer is ready.",
    )
    expect(own.asksRating).toBe(false)
  })

  it("no purpose's message leaves a brace, whatever variables come", () =>
    fc.assert(
      fc.property(
        fc.constantFrom(...callPurposes),
        fc.constantFrom("hi" as const, "en" as const),
        fc.dictionary(
          fc.constantFrom("orderId", "amount", "name", "otp", "offer"),
          fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("{otp}", "₹{total}", "ORDER-{orderId}")),
        ),
        (purpose, language, variables) => {
          const call = callMessageFor(purpose, language, variables, null)
          return !/\{[A-Za-z0-9_]+\}/.test(`${call.message} ${call.closing}`)
        },
      ),
      { numRuns: 1_000 },
    ))
})

describe("transition", () => {
  it("a reminder says its message and closing once, then hangs up; keys other than * change nothing", () => {
    const heard = run(reminder, [answered, digit("1"), silence])
    expect(heard.said).toEqual([`${reminder.message} ${reminder.closing}`])
    expect(heard.ended).toBe(true)
    expect(heard.state.rating).toBeNull()
  })

  it("a feedback request takes the rating pressed and thanks the callee", () => {
    const heard = run(feedback, [answered, digit("4")])
    expect(heard.said).toEqual([feedback.message, feedback.closing])
    expect(heard.ended).toBe(true)
    expect(heard.state.rating).toBe(4)
  })

  it("asks again after a wrong key or silence, at most twice, then ends without a rating", () => {
    const heard = run(feedback, [answered, digit("9"), silence, silence, digit("5")])
    expect(heard.said).toEqual([feedback.message, ratingReprompt.en, ratingReprompt.en, feedback.closing])
    expect(heard.ended).toBe(true)
    expect(heard.state.rating).toBeNull()
  })

  it("* says the message again", () => {
    const heard = run(feedback, [answered, digit("*"), digit("2")])
    expect(heard.said).toEqual([feedback.message, feedback.message, feedback.closing])
    expect(heard.state.rating).toBe(2)
  })

  it("from any sequence of keys and silences: a rating is only ever a key from 1 to 5 the callee pressed", () =>
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (events) => {
        const heard = run(feedback, [answered, ...events])
        const rating = heard.state.rating
        if (rating === null) return true
        const pressed = events.flatMap((e) => (e._tag === "Digit" ? [e.digit] : []))
        return rating >= 1 && rating <= 5 && pressed.includes(String(rating))
      }),
      { numRuns: 1_000 },
    ))

  it("silence alone ends every feedback call within the re-prompt bound, and nothing follows the end", () =>
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (events) => {
        const heard = run(feedback, [answered, ...events, ...Array(maxReprompts + 1).fill(silence)])
        const reprompts = heard.said.filter((s) => s === ratingReprompt.en).length
        const after = transition(feedback, heard.state, digit("3"))
        return (
          heard.ended &&
          heard.state.phase === "ending" &&
          reprompts <= maxReprompts &&
          after.commands.length === 0
        )
      }),
      { numRuns: 1_000 },
    ))
})
