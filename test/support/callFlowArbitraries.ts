// Runs of the pure Nerve flow, and fast-check arbitraries of what a call can hear: shared by the flow's
// properties and those of how its state reads on the record.
import fc from "fast-check"
import { type Command, type FlowEvent, type FlowState, transition } from "../../src/actors/callFlow.js"
import type { CallType } from "../../src/domain/VoiceCall.js"

export const run = (state: FlowState, events: ReadonlyArray<FlowEvent>) => {
  const commands: Array<Command> = []
  let current = state
  for (const event of events) {
    const next = transition(current, event)
    current = next.state
    commands.push(...next.commands)
  }
  return { state: current, commands }
}

export const digit = (d: string): FlowEvent => ({ _tag: "Digit", digit: d })

export const callTypes: ReadonlyArray<CallType> = [
  "vendor_confirmation",
  "vendor_prep_time",
  "rider_assignment",
  "rider_pickup_ready",
]
const keypad = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#", "A", ""]

export const eventArb: fc.Arbitrary<FlowEvent> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...keypad).map(digit) },
  { weight: 2, arbitrary: fc.constant<FlowEvent>({ _tag: "Silence" }) },
  { weight: 1, arbitrary: fc.constant<FlowEvent>({ _tag: "Ringing" }) },
  { weight: 1, arbitrary: fc.constant<FlowEvent>({ _tag: "Answered" }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom("completed", "busy", "no_answer", "failed")
      .map((outcome): FlowEvent => ({ _tag: "Hangup", outcome })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        decision: fc.constantFrom("accepted", "rejected", null),
        prepTimeMinutes: fc.option(fc.integer({ min: -5, max: 200 }), { nil: null }),
        rejectionReason: fc.constantFrom("item_unavailable", "shop_closed", "too_busy", "other", null),
      })
      .map((r): FlowEvent => ({ _tag: "Reported", ...r })),
  },
)
