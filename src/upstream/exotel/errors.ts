// What can go wrong talking to Exotel, as the callers need to tell it apart.
import { Data } from "effect"

/** Exotel answered with a 4xx RestException: the request itself is wrong, so it is not retried. */
export class ExotelRejected extends Data.TaggedError("ExotelRejected")<{
  readonly status: number
  readonly code: number | string | null
  readonly message: string
}> {}

/** A 429, a 5xx, a timeout or a broken connection: worth another attempt. */
export class ExotelRetryable extends Data.TaggedError("ExotelRetryable")<{
  readonly status: number | null
  readonly message: string
  /** Milliseconds the upstream asked us to wait (Retry-After). */
  readonly retryAfterMs: number | null
}> {}

/** Exotel cannot be reached now: retries are spent, or the circuit is open. Callers answer 503. */
export class ExotelUnavailable extends Data.TaggedError("ExotelUnavailable")<{
  readonly message: string
  /** When asking again may succeed, if known: the account's rate budget or Exotel's Retry-After says. */
  readonly retryAfterMs?: number | undefined
}> {}

export type ExotelFailure = ExotelRejected | ExotelUnavailable
