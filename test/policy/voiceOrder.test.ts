import { describe, expect, it } from "@effect/vitest"
import { Either, Option } from "effect"
import fc from "fast-check"
import type { OrderItem } from "../../src/domain/VoiceOrder.js"
import { decide, type OrderCommand, type OrderSession, orderTotal } from "../../src/policy/voiceOrder.js"

const item = fc.record({
  name: fc.constantFrom("Dal Makhani", "Paneer Tikka", "Roti", "Lassi"),
  quantity: fc.integer({ min: 1, max: 99 }),
  price: fc.integer({ min: 0, max: 100_000 }).map((paise) => paise / 100),
})
const items = fc.array(item, { minLength: 1, maxLength: 6 })
/** Mostly right, sometimes a client's stale or wrong total. */
const clientTotal = (forItems: ReadonlyArray<OrderItem>) =>
  fc.oneof(
    fc.constant(undefined),
    fc.constant(orderTotal(forItems)),
    fc.integer({ min: 0, max: 1_000_000 }).map((p) => p / 100),
  )

const command: fc.Arbitrary<OrderCommand> = fc.oneof(
  items.chain((its) =>
    clientTotal(its).map(
      (t): OrderCommand => ({
        action: "start",
        sessionId: "s1",
        phone: "+919123456789",
        items: its,
        clientTotal: t,
      }),
    ),
  ),
  items.chain((its) =>
    clientTotal(its).map((t): OrderCommand => ({ action: "modify", items: its, clientTotal: t })),
  ),
  fc.constant<OrderCommand>({ action: "confirm", items: undefined, clientTotal: undefined }),
  fc
    .integer({ min: 0, max: 1_000_000 })
    .map((p): OrderCommand => ({ action: "confirm", items: undefined, clientTotal: p / 100 })),
  fc.constant<OrderCommand>({ action: "cancel" }),
)

const run = (commands: ReadonlyArray<OrderCommand>) => {
  let session = Option.none<OrderSession>()
  const events: Array<string> = []
  const outcomes: Array<string> = []
  for (const c of commands) {
    const before = session
    const result = decide(session, c)
    if (Either.isRight(result)) {
      session = Option.some(result.right.session)
      if (Option.isSome(result.right.event)) events.push(result.right.event.value)
      outcomes.push("ok")
    } else {
      // A refused command changes nothing.
      expect(session).toBe(before)
      outcomes.push(result.left._tag)
    }
  }
  return { session, events, outcomes }
}

const dal = { name: "Dal Makhani", quantity: 2, price: 150 }

describe("the voice order state machine", () => {
  it("the total is always the items' sum, whatever the client said", () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 12 }), (commands) => {
        const { session } = run(commands)
        if (Option.isSome(session)) expect(session.value.total).toBe(orderTotal(session.value.items))
      }),
    )
  })

  it("an order is placed at most once, never changes after, and each event is announced at most once", () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 12 }), (commands) => {
        const { events, session, outcomes } = run(commands)
        expect(events.filter((e) => e === "ORDER_PLACED").length).toBeLessThanOrEqual(1)
        expect(events.filter((e) => e === "ORDER_CANCELLED").length).toBeLessThanOrEqual(1)
        // Cancelled is final; a cancellation may follow the placing, never the other way round.
        if (events.includes("ORDER_CANCELLED")) expect(events.at(-1)).toBe("ORDER_CANCELLED")
        if (Option.isSome(session))
          expect(session.value.version).toBe(outcomes.filter((o) => o === "ok").length)
      }),
    )
  })

  it("a client total that disagrees with the items is refused as a mismatch", () => {
    const started = decide(Option.none(), {
      action: "start",
      sessionId: "s1",
      phone: "+919123456789",
      items: [dal],
      clientTotal: 299,
    })
    expect(Either.getLeft(started).pipe(Option.map((r) => r._tag))).toEqual(Option.some("TotalMismatch"))
  })

  it("start, modify, confirm; a second confirm is already placed; modify after it is an invalid transition", () => {
    const { outcomes, session, events } = run([
      { action: "start", sessionId: "s1", phone: "+919123456789", items: [dal], clientTotal: 300 },
      { action: "modify", items: [dal, { name: "Roti", quantity: 4, price: 12.5 }], clientTotal: 350 },
      { action: "confirm", items: undefined, clientTotal: 350 },
      { action: "confirm", items: undefined, clientTotal: 350 },
      { action: "modify", items: [dal], clientTotal: undefined },
    ])
    expect(outcomes).toEqual(["ok", "ok", "ok", "AlreadyPlaced", "InvalidTransition"])
    expect(events).toEqual(["ORDER_PLACED"])
    expect(Option.map(session, (s) => [s.status, s.total, s.version])).toEqual(
      Option.some(["placed", 350, 3]),
    )
  })

  it("only start may open a session; a session cannot be started twice", () => {
    expect(run([{ action: "cancel" }]).outcomes).toEqual(["UnknownSession"])
    const start: OrderCommand = {
      action: "start",
      sessionId: "s1",
      phone: "+919123456789",
      items: [dal],
      clientTotal: undefined,
    }
    expect(run([start, start]).outcomes).toEqual(["ok", "SessionExists"])
  })

  it("sums in paise: 3 × 0.1 rupees is 0.3, not 0.30000000000000004", () => {
    expect(orderTotal([{ name: "Mint", quantity: 3, price: 0.1 }])).toBe(0.3)
  })
})
