// The Exotel account's request limit as the gateway is told it: Exotel documents 200 a minute (exotel-protocol.md
// §2.6); an account with a raised limit says so, and 0 means the gateway keeps no budget of its own.

export const defaultRateLimitPerMinute = 200

/** 0 (no budget) or 10 to 100,000 requests a minute: below 10 a twentieth of it is no burst at all. */
export const isRateLimitPerMinute = (n: number): boolean =>
  Number.isInteger(n) && (n === 0 || (n >= 10 && n <= 100_000))
