// Idempotency keys: the first request with a key claims it and stores its answer; a repeat gets that answer.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option, Schema } from "effect"

export type Claim =
  | { readonly _tag: "Claimed" }
  | { readonly _tag: "Answered"; readonly response: unknown }
  | { readonly _tag: "InFlight" }

export interface IdempotencyRepoShape {
  readonly claim: (endpoint: string, key: string) => Effect.Effect<Claim>
  readonly complete: (endpoint: string, key: string, response: unknown) => Effect.Effect<void>
  /** Frees a key whose request failed, so the client's retry is served afresh. */
  readonly release: (endpoint: string, key: string) => Effect.Effect<void>
}

export class IdempotencyRepo extends Context.Tag("IdempotencyRepo")<
  IdempotencyRepo,
  IdempotencyRepoShape
>() {}

const Stored = Schema.Array(Schema.Struct({ response: Schema.NullOr(Schema.Unknown) }))

export const IdempotencyRepoLive = Layer.effect(
  IdempotencyRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return IdempotencyRepo.of({
      claim: (endpoint, key) =>
        Effect.gen(function* () {
          const inserted =
            yield* sql`INSERT INTO idempotency_keys (endpoint, key) VALUES (${endpoint}, ${key})
            ON CONFLICT DO NOTHING RETURNING key`
          if (inserted.length > 0) return { _tag: "Claimed" } as const
          const rows =
            yield* sql`SELECT response FROM idempotency_keys WHERE endpoint = ${endpoint} AND key = ${key}`.pipe(
              Effect.flatMap(Schema.decodeUnknown(Stored)),
            )
          const response = Option.fromNullable(rows[0]?.response)
          return Option.match(response, {
            onNone: (): Claim => ({ _tag: "InFlight" }),
            onSome: (r): Claim => ({ _tag: "Answered", response: r }),
          })
        }).pipe(Effect.orDie),
      complete: (endpoint, key, response) =>
        sql`UPDATE idempotency_keys SET response = ${JSON.stringify(response)}::jsonb
            WHERE endpoint = ${endpoint} AND key = ${key}`.pipe(Effect.asVoid, Effect.orDie),
      release: (endpoint, key) =>
        sql`DELETE FROM idempotency_keys WHERE endpoint = ${endpoint} AND key = ${key} AND response IS NULL`.pipe(
          Effect.asVoid,
          Effect.orDie,
        ),
    })
  }),
)
