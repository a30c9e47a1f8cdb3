// The Exotel account's request budget as a pure function of its bucket and the time. Exotel counts an account's
// requests over a rolling window (200 a minute, exotel-protocol.md §2.6); a token bucket whose burst plus what it
// refills over one window is within that limit can never put more than the limit into any window, wherever the
// window falls. The burst is a twentieth of the limit, and one request of the window is left unspent: requests
// granted here reach Exotel a few milliseconds apart from how they were granted, and Exotel counts arrivals.
//
// Two lanes share the bucket. Bulk work (campaign dials, bulk SMS, scheduled calls) may not take the last
// `reserve` tokens; interactive work (click-to-call, OTPs, the Nerve flows) may. While bulk work keeps the bucket
// near empty, the tokens that grow back go to an interactive request first, and the reserve is what lets a burst
// of them through at once.
import { type Bucket, refilled } from "./tokenBucket.js"

export type Lane = "interactive" | "bulk"

export interface RateBudgetRule {
  /** Requests the account may make in any window; 0: no budget (every draw is granted). */
  readonly requests: number
  readonly windowMs: number
}

export interface BucketShape {
  readonly perSecond: number
  readonly burst: number
  /** Tokens only the interactive lane may take. */
  readonly reserve: number
}

export const bucketShapeOf = (rule: RateBudgetRule): BucketShape => {
  const burst = Math.max(1, Math.round(rule.requests / 20))
  return {
    burst,
    perSecond: (Math.max(1, rule.requests - burst - 1) * 1000) / rule.windowMs,
    reserve: Math.floor(burst / 2),
  }
}

export type Draw =
  | { readonly granted: true; readonly bucket: Bucket }
  | { readonly granted: false; readonly waitMs: number }

/** Rounding slack, as in tokenBucket: a wait computed to the exact token may leave 0.9999999… of it. */
const whole = 1 - 1e-9

const floorOf = (shape: BucketShape, lane: Lane) => (lane === "bulk" ? shape.reserve : 0)

/** Takes one request's token for a lane at `now`; a bucket never seen is full. */
export const draw = (bucket: Bucket | undefined, rule: RateBudgetRule, lane: Lane, now: number): Draw => {
  const shape = bucketShapeOf(rule)
  const tokens = refilled(bucket, shape, now)
  const floor = floorOf(shape, lane)
  if (tokens - floor >= whole) {
    return { granted: true, bucket: { tokens: tokens - 1, at: Math.max(now, bucket?.at ?? now) } }
  }
  // A bucket held back by a 429 counts from a future instant: nothing grows until then.
  const start = Math.max(0, (bucket?.at ?? now) - now)
  return { granted: false, waitMs: start + Math.ceil(((floor + 1 - tokens) * 1000) / shape.perSecond) }
}

/**
 * Exotel answered 429 all the same (another client of the account, or clocks apart): the bucket is emptied and
 * grows again only after Exotel's Retry-After, so every lane and every process sharing it waits as asked.
 */
export const heldBack = (bucket: Bucket | undefined, retryAfterMs: number, now: number): Bucket => ({
  tokens: 0,
  at: Math.max(now + Math.max(0, retryAfterMs), bucket?.at ?? now),
})

/** How many bulk requests the bucket can grant from now to `now + horizonMs`: the pace a dialer plans to. */
export const bulkAllowance = (
  bucket: Bucket | undefined,
  rule: RateBudgetRule,
  now: number,
  horizonMs: number,
): number => {
  const shape = bucketShapeOf(rule)
  // What is there now, and what grows while it is being spent: over a horizon the bucket may give more than
  // its burst.
  const growing = Math.max(0, now + horizonMs - Math.max(now, bucket?.at ?? now))
  const tokens = refilled(bucket, shape, now) + (growing * shape.perSecond) / 1000
  return Math.max(0, Math.floor(tokens - shape.reserve + 1e-9))
}
