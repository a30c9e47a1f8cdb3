// A token bucket as a pure function of its state and the time: a bucket holds at most `burst` tokens, gains
// `perSecond` of them each second, and a request takes one. Empty means refused, with the wait until a token.

export interface BucketRule {
  /** Tokens gained per second: the sustained rate. */
  readonly perSecond: number
  /** Tokens held at most: how many requests may come at once after a quiet spell. */
  readonly burst: number
}

export interface Bucket {
  readonly tokens: number
  /** When `tokens` was counted (milliseconds). */
  readonly at: number
}

export type Admission =
  | { readonly admitted: true; readonly bucket: Bucket }
  | { readonly admitted: false; readonly bucket: Bucket; readonly retryAfterMs: number }

/** The tokens a bucket holds at `now`: a clock that went back counts as no time passed. */
export const refilled = (bucket: Bucket | undefined, rule: BucketRule, now: number): number =>
  bucket === undefined
    ? rule.burst
    : Math.min(rule.burst, bucket.tokens + (Math.max(0, now - bucket.at) * rule.perSecond) / 1000)

/** Rounding slack: a wait computed to refill exactly one token may leave 0.9999999… of it in floating point. */
const whole = 1 - 1e-9

/** Takes one token at `now`; a bucket never seen before is full. */
export const take = (bucket: Bucket | undefined, rule: BucketRule, now: number): Admission => {
  const tokens = refilled(bucket, rule, now)
  if (tokens >= whole) return { admitted: true, bucket: { tokens: Math.max(0, tokens - 1), at: now } }
  return {
    admitted: false,
    bucket: { tokens, at: now },
    retryAfterMs: Math.ceil(((1 - tokens) * 1000) / rule.perSecond),
  }
}

/** A bucket that has refilled to the brim is the same as none: it may be forgotten. */
export const isFull = (bucket: Bucket, rule: BucketRule, now: number): boolean =>
  refilled(bucket, rule, now) >= rule.burst

/** The burst of a rate given without one: twice the rate, and at least one request. */
export const defaultBurst = (perSecond: number): number => Math.max(1, Math.ceil(perSecond * 2))
