// Exotel's failures as the gateway's domain errors, which a service fails with and the HTTP layer answers by
// their status: a refusal passes Exotel's status and code on (422); an unreachable or circuit-broken upstream
// is a 503 the client may retry.
import { Effect } from "effect"
import { ServiceUnavailable, UpstreamRejected } from "../domain/errors.js"
import type { ExotelFailure } from "../upstream/exotel/errors.js"

export const asDomainError = (error: ExotelFailure): UpstreamRejected | ServiceUnavailable =>
  error._tag === "ExotelRejected"
    ? new UpstreamRejected({
        message: `Exotel refused the request: ${error.message}`,
        upstreamStatus: error.status,
        code: error.code,
      })
    : new ServiceUnavailable({
        message: error.message,
        ...(error._tag === "ExotelUnavailable" && error.retryAfterMs !== undefined
          ? { retryAfterSeconds: Math.max(1, Math.ceil(error.retryAfterMs / 1000)) }
          : {}),
      })

/** Records the failure on the stored row, then fails with the domain error. */
export const failWith =
  <R>(record: (message: string) => Effect.Effect<void, never, R>) =>
  (error: ExotelFailure) =>
    Effect.zipRight(record(error.message), Effect.fail(asDomainError(error)))
