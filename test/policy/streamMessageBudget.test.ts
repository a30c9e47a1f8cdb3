import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import {
  type BudgetVerdict,
  fullBudget,
  type MessageKind,
  spend,
} from "../../src/policy/stream/messageBudget.js"

const limits = { perSecond: 100 }

/** Runs messages (kind, milliseconds after the one before) through a fresh budget; the verdicts. */
const run = (messages: ReadonlyArray<readonly [MessageKind, number]>) => {
  let budget = fullBudget(limits, 0)
  let now = 0
  const verdicts: Array<BudgetVerdict> = []
  for (const [kind, gap] of messages) {
    now += gap
    const [next, verdict] = spend(budget, now, kind, limits)
    expect(next.tokens).toBeGreaterThanOrEqual(0)
    expect(next.tokens).toBeLessThanOrEqual(limits.perSecond * 2)
    budget = next
    verdicts.push(verdict)
  }
  return verdicts
}

const kind = fc.constantFrom<MessageKind>("media", "control")

describe("a voice stream's message budget", () => {
  it("a stream at or under the rate is never refused anything, whatever it sends", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(kind, fc.integer({ min: 10, max: 5_000 })), { maxLength: 500 }),
        (messages) => {
          expect(run(messages).every((v) => v === "accept")).toBe(true)
        },
      ),
    )
  })

  it("a flood of audio loses audio, never the keypresses among it, and never closes the stream", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constant<MessageKind>("media"), fc.integer({ min: 0, max: 2 })), {
          minLength: 300,
          maxLength: 2_000,
        }),
        fc.array(fc.nat({ max: 1_999 }), { maxLength: 40 }),
        (flood, at) => {
          const messages = [...flood]
          // A keypress at most every 50 ms, spliced in anywhere.
          for (const i of at) if (i < messages.length) messages.splice(i, 0, ["control", 50])
          const verdicts = run(messages)
          expect(verdicts.filter((_, i) => messages[i]?.[0] === "control").every((v) => v === "accept")).toBe(
            true,
          )
          expect(verdicts).not.toContain("close")
          expect(verdicts).toContain("drop")
        },
      ),
      { numRuns: 200 },
    )
  })

  it("a flood of control messages closes the stream once the bucket is empty", () => {
    const verdicts = run(Array.from({ length: 500 }, () => ["control", 0] as const))
    expect(verdicts.indexOf("close")).toBe(limits.perSecond * 2)
  })

  it("a clock that steps back refills nothing", () => {
    const [after] = spend(fullBudget(limits, 10_000), 10_000, "control", limits)
    const [back] = spend(after, 5_000, "control", limits)
    expect(back.tokens).toBe(after.tokens - 1)
  })
})
