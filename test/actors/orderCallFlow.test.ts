import { describe, expect, it } from "@effect/vitest"
import { Either, Option } from "effect"
import fc from "fast-check"
import {
  maxMenuReprompts,
  type OrderCallCommand,
  type OrderCallEvent,
  type OrderCallState,
  openingState,
  transition,
} from "../../src/actors/orderCallFlow.js"
import { decide, type OrderSession } from "../../src/policy/voiceOrder.js"

const draft: OrderSession = {
  sessionId: "s",
  phone: "+919123456789",
  status: "draft",
  items: [
    { name: "Dal Makhani", quantity: 2, price: 150 },
    { name: "Roti", quantity: 4, price: 12.5 },
  ],
  total: 350,
  version: 1,
  callSid: null,
}

/** Runs the call flow against the real order state machine, as the actor does. */
const play = (events: ReadonlyArray<OrderCallEvent>) => {
  let state: OrderCallState = openingState
  let session = draft
  const acts: Array<string> = []
  const spoken: Array<string> = []
  const apply = (commands: ReadonlyArray<OrderCallCommand>) => {
    for (const c of commands) {
      if (c._tag === "Speak") spoken.push(...c.lines.map((l) => l._tag))
      if (c._tag === "Act") {
        acts.push(c.command.action)
        const decided = decide(Option.some(session), c.command)
        if (Either.isRight(decided)) session = decided.right.session
        const t = transition(
          state,
          Either.isRight(decided)
            ? { _tag: "Acted", outcome: { ok: true, session } }
            : { _tag: "Acted", outcome: { ok: false, why: decided.left.message } },
        )
        state = t.state
        apply(t.commands)
      }
    }
  }
  for (const event of [{ _tag: "Opened", session: draft } as const, ...events]) {
    const t = transition(state, event)
    state = t.state
    apply(t.commands)
  }
  return { state, session, acts, spoken }
}

const key = fc.constantFrom("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#")
const event: fc.Arbitrary<OrderCallEvent> = fc.oneof(
  key.map((digit): OrderCallEvent => ({ _tag: "Digit", digit })),
  fc.constant<OrderCallEvent>({ _tag: "Silence" }),
)

describe("the voice-ordering keypad flow", () => {
  it("whatever is pressed, the order is placed at most once and its total stays the items' sum", () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const { acts, session } = play(events)
        expect(acts.filter((a) => a === "confirm").length).toBeLessThanOrEqual(1)
        expect(session.total).toBe(
          session.items.reduce((s, i) => s + Math.round(i.price * 100) * i.quantity, 0) / 100,
        )
        expect(session.items.every((i) => i.quantity >= 1 && i.quantity <= 99)).toBe(true)
      }),
    )
  })

  it("keys that are no choice and silence end the call after the re-prompts, leaving the order alone", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc
              .constantFrom("0", "4", "5", "9", "#")
              .map((digit): OrderCallEvent => ({ _tag: "Digit", digit })),
            fc.constant<OrderCallEvent>({ _tag: "Silence" }),
          ),
          { minLength: maxMenuReprompts + 1, maxLength: 20 },
        ),
        (events) => {
          const { state, acts, session, spoken } = play(events)
          expect(state.phase).toBe("ended")
          expect(acts).toEqual([])
          expect(session).toBe(draft)
          expect(spoken.at(-1)).toBe("Goodbye")
        },
      ),
    )
  })

  it("2, then 3# and 0#: three Dal Makhani and no Roti, read back, and 1 places it", () => {
    const digits = ["2", "3", "#", "0", "#", "1"].map((digit): OrderCallEvent => ({ _tag: "Digit", digit }))
    const { acts, session, spoken } = play(digits)
    expect(acts).toEqual(["modify", "confirm"])
    expect(session).toMatchObject({
      status: "placed",
      total: 450,
      items: [{ name: "Dal Makhani", quantity: 3 }],
    })
    expect(spoken.at(-1)).toBe("Placed")
  })

  it("removing every item is refused, and the order is read back unchanged", () => {
    const digits = ["2", "0", "#", "0", "#"].map((digit): OrderCallEvent => ({ _tag: "Digit", digit }))
    const { acts, state, spoken } = play(digits)
    expect(acts).toEqual([])
    expect(state.phase).toBe("menu")
    expect(spoken.slice(-3)).toEqual(["NeedsAnItem", "ReadBack", "Menu"])
  })
})
