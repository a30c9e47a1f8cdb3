import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import {
  bucketShapeOf,
  bulkAllowance,
  draw,
  heldBack,
  type Lane,
  type RateBudgetRule,
} from "../../src/policy/rateBudget.js"
import type { Bucket } from "../../src/policy/tokenBucket.js"

const rule = fc.record({
  requests: fc.integer({ min: 10, max: 2000 }),
  windowMs: fc.integer({ min: 1000, max: 120_000 }),
})

/** Draw attempts: gaps of 0 to 3 s, each in a lane. */
const attempts = fc.array(
  fc.record({ gap: fc.integer({ min: 0, max: 3000 }), lane: fc.constantFrom<Lane>("interactive", "bulk") }),
  { minLength: 1, maxLength: 600 },
)

const run = (r: RateBudgetRule, tries: ReadonlyArray<{ gap: number; lane: Lane }>) => {
  let bucket: Bucket | undefined
  let at = 0
  const granted: Array<number> = []
  for (const { gap, lane } of tries) {
    at += gap
    const outcome = draw(bucket, r, lane, at)
    if (outcome.granted) {
      bucket = outcome.bucket
      granted.push(at)
    }
  }
  return granted
}

/** The most grants in any window of the rule's length, wherever it falls (Exotel's rolling count). */
const busiestWindow = (granted: ReadonlyArray<number>, windowMs: number) => {
  let most = 0
  let first = 0
  for (let last = 0; last < granted.length; last++) {
    while ((granted[last] ?? 0) - (granted[first] ?? 0) >= windowMs) first++
    most = Math.max(most, last - first + 1)
  }
  return most
}

describe("the Exotel account's rate budget", () => {
  it("never grants more than the limit in any rolling window, whatever the mix of lanes", () => {
    fc.assert(
      fc.property(rule, attempts, (r, tries) => {
        expect(busiestWindow(run(r, tries), r.windowMs)).toBeLessThanOrEqual(r.requests - 1)
      }),
    )
  })

  it("keeps the reserve from bulk work and gives it to interactive work", () => {
    fc.assert(
      fc.property(rule, (r) => {
        const shape = bucketShapeOf(r)
        let bucket: Bucket | undefined
        let bulk = 0
        for (;;) {
          const outcome = draw(bucket, r, "bulk", 0)
          if (!outcome.granted) break
          bucket = outcome.bucket
          bulk++
        }
        expect(bulk).toBe(shape.burst - shape.reserve)
        let interactive = 0
        for (;;) {
          const outcome = draw(bucket, r, "interactive", 0)
          if (!outcome.granted) break
          bucket = outcome.bucket
          interactive++
        }
        expect(interactive).toBe(shape.reserve)
      }),
    )
  })

  it("names a wait after which the same lane is granted, and not much before", () => {
    fc.assert(
      fc.property(rule, attempts, fc.constantFrom<Lane>("interactive", "bulk"), (r, tries, lane) => {
        let bucket: Bucket | undefined
        let at = 0
        for (const { gap, lane: l } of tries) {
          at += gap
          const outcome = draw(bucket, r, l, at)
          if (outcome.granted) bucket = outcome.bucket
        }
        const refused = draw(bucket, r, lane, at)
        if (refused.granted) return
        expect(refused.waitMs).toBeGreaterThan(0)
        expect(draw(bucket, r, lane, at + refused.waitMs).granted).toBe(true)
        if (refused.waitMs > 1) expect(draw(bucket, r, lane, at + refused.waitMs - 2).granted).toBe(false)
      }),
    )
  })

  it("after a 429 grants nothing in any lane until Exotel's Retry-After has passed", () => {
    fc.assert(
      fc.property(rule, fc.integer({ min: 1, max: 60_000 }), (r, retryAfterMs) => {
        const held = heldBack(undefined, retryAfterMs, 1000)
        for (const lane of ["interactive", "bulk"] as const) {
          expect(draw(held, r, lane, 1000 + retryAfterMs - 1).granted).toBe(false)
          const refused = draw(held, r, lane, 1000)
          expect(refused.granted || refused.waitMs >= retryAfterMs).toBe(true)
        }
        expect(bulkAllowance(held, r, 1000, retryAfterMs)).toBe(0)
      }),
    )
  })

  it("plans as many bulk requests over a horizon as bulk draws are then granted", () => {
    fc.assert(
      fc.property(rule, fc.integer({ min: 0, max: 30_000 }), (r, horizonMs) => {
        const planned = bulkAllowance(undefined, r, 0, horizonMs)
        let bucket: Bucket | undefined
        let granted = 0
        // Every millisecond: a coarser step would lose what grows past a full bucket between two steps.
        for (let at = 0; at <= horizonMs; at++) {
          for (;;) {
            const outcome = draw(bucket, r, "bulk", at)
            if (!outcome.granted) break
            bucket = outcome.bucket
            granted++
          }
        }
        // A full bucket drops what grows past its burst between two draws: with a burst of one token the plan
        // runs a little ahead of what is granted, by well under a token in fifty.
        expect(granted).toBeLessThanOrEqual(planned + 1)
        expect(granted).toBeGreaterThanOrEqual(Math.floor(planned * 0.98) - 1)
      }),
    )
  })

  it("uses about nineteen twentieths of the limit when bulk work keeps it full", () => {
    const r = { requests: 200, windowMs: 60_000 }
    const granted = run(
      r,
      Array.from({ length: 20_000 }, () => ({ gap: 50, lane: "bulk" as const })),
    )
    const perWindow = granted.filter((at) => at >= 60_000 && at < 120_000).length
    expect(perWindow).toBeGreaterThanOrEqual(185)
    expect(perWindow).toBeLessThanOrEqual(199)
  })
})
