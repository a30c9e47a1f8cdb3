// Idempotency keys: the first request with a key runs and its answer is kept; a repeat gets that answer and
// causes no second call or message. A key whose request failed is freed, so the client may try again.
import { Effect, Schema } from "effect"
import { Conflict } from "../domain/errors.js"
import { IdempotencyRepo } from "../store/IdempotencyRepo.js"

export const idempotent =
  <A, I>(endpoint: string, key: string | undefined, schema: Schema.Schema<A, I>) =>
  <E, R>(work: Effect.Effect<A, E, R>): Effect.Effect<A, E | Conflict, R | IdempotencyRepo> =>
    key === undefined
      ? work
      : Effect.gen(function* () {
          const repo = yield* IdempotencyRepo
          const claim = yield* repo.claim(endpoint, key)
          switch (claim._tag) {
            case "Answered":
              return yield* Schema.decodeUnknown(schema)(claim.response).pipe(Effect.orDie)
            case "InFlight":
              return yield* new Conflict({
                message: "A request with this Idempotency-Key is still being processed; retry shortly",
              })
            case "Claimed":
              return yield* work.pipe(
                Effect.tap((answer) =>
                  Effect.flatMap(Schema.encode(schema)(answer).pipe(Effect.orDie), (encoded) =>
                    repo.complete(endpoint, key, encoded),
                  ),
                ),
                Effect.onExit((exit) =>
                  exit._tag === "Failure" ? repo.release(endpoint, key) : Effect.void,
                ),
              )
          }
        })
