// Exotel's limit on an account: 200 requests in any rolling minute, across every resource (exotel-protocol.md
// §2.6). Past it a request is refused with 429, a RestException and a Retry-After until the oldest request in the
// window leaves it. A refused request is not counted: the window holds what was served, so a client that keeps
// knocking is let in again as soon as the oldest served request has aged out.

export interface AccountRateLimit {
  /** Requests allowed in any window; 0 turns the limit off. */
  readonly requests: number
  readonly windowMs: number
}

export const exotelAccountLimit: AccountRateLimit = { requests: 200, windowMs: 60_000 }

export type Arrival =
  | { readonly admitted: true }
  | { readonly admitted: false; readonly retryAfterSeconds: number }

/** The arrivals of the last window, oldest first; admits or refuses one more at `now`. */
export class AccountWindow {
  private readonly arrivals: Array<number> = []
  constructor(private readonly limit: AccountRateLimit) {}

  arrive(now: number): Arrival {
    if (this.limit.requests === 0) return { admitted: true }
    while (this.arrivals.length > 0 && (this.arrivals[0] ?? now) <= now - this.limit.windowMs)
      this.arrivals.shift()
    const oldest = this.arrivals[0]
    const admitted = this.arrivals.length < this.limit.requests
    if (admitted) this.arrivals.push(now)
    if (admitted || oldest === undefined) return { admitted: true }
    return {
      admitted: false,
      retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.limit.windowMs - now) / 1000)),
    }
  }
}
