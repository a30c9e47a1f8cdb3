import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { type Bucket, type BucketRule, refilled, take } from "../../src/policy/tokenBucket.js"

const rule = fc.record({
  perSecond: fc.double({ min: 0.1, max: 1000, noNaN: true }),
  burst: fc.integer({ min: 1, max: 500 }),
})

/** Request times: gaps of 0 to 2 s, in milliseconds, from 0. */
const arrivals = fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 400 }).map((gaps) => {
  let at = 0
  return gaps.map((gap) => {
    at += gap
    return at
  })
})

const run = (r: BucketRule, times: ReadonlyArray<number>) => {
  let bucket: Bucket | undefined
  return times.map((at) => {
    const admission = take(bucket, r, at)
    bucket = admission.bucket
    return { at, admission }
  })
}

describe("token bucket", () => {
  it("admits a burst at once, then refuses until a token has grown back", () => {
    const r = { perSecond: 2, burst: 3 }
    const answers = run(r, [0, 0, 0, 0])
    expect(answers.map((a) => a.admission.admitted)).toEqual([true, true, true, false])
    const refused = answers[3]?.admission
    expect(refused).toMatchObject({ admitted: false, retryAfterMs: 500 })
    expect(run(r, [0, 0, 0, 499, 500]).map((a) => a.admission.admitted)).toEqual([
      true,
      true,
      true,
      false,
      true,
    ])
  })

  it("never admits more than the burst plus what the rate earns over any stretch of time", () => {
    fc.assert(
      fc.property(rule, arrivals, (r, times) => {
        const admitted = run(r, times).filter((a) => a.admission.admitted)
        for (const [i, first] of admitted.entries()) {
          for (const last of admitted.slice(i)) {
            const count = admitted.filter((a) => a.at >= first.at && a.at <= last.at).length
            expect(count).toBeLessThanOrEqual(r.burst + ((last.at - first.at) * r.perSecond) / 1000 + 1e-9)
          }
        }
      }),
      { numRuns: 100 },
    )
  })

  it("admits a request that waited as long as the refusal said", () => {
    // Found by this property: 0.3 tokens at 0.1 a second, refilled after the 7,000 ms it was told, held 0.9999999.
    const slow = { perSecond: 0.1, burst: 1 }
    const refused = take({ tokens: 0.3, at: 0 }, slow, 0)
    expect(refused.admitted).toBe(false)
    if (!refused.admitted) expect(take(refused.bucket, slow, refused.retryAfterMs).admitted).toBe(true)
    fc.assert(
      fc.property(rule, arrivals, (r, times) => {
        let bucket: Bucket | undefined
        for (const at of times) {
          const admission = take(bucket, r, at)
          if (!admission.admitted) {
            expect(admission.retryAfterMs).toBeGreaterThan(0)
            expect(take(admission.bucket, r, at + admission.retryAfterMs).admitted).toBe(true)
          }
          bucket = admission.bucket
        }
      }),
    )
  })

  it("holds no more than its burst however long it was left alone, and a clock going back adds nothing", () => {
    fc.assert(
      fc.property(rule, fc.integer({ min: 0, max: 10_000_000 }), (r, quiet) => {
        const drained = run(
          r,
          Array.from({ length: r.burst }, () => 0),
        ).at(-1)?.admission.bucket
        expect(refilled(drained, r, quiet)).toBeLessThanOrEqual(r.burst)
        const next = take(drained, r, quiet)
        if (next.admitted) expect(next.bucket.tokens).toBeLessThanOrEqual(r.burst - 1 + 1e-9)
        expect(take(drained, r, -quiet - 1).admitted).toBe(false)
      }),
    )
  })
})
