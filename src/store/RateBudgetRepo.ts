// The stored bucket of each Exotel account's request budget. A change is a compare-and-set on the row's version:
// the arithmetic stays in the pure policy (src/policy/rateBudget.ts), and two processes that read the same
// bucket cannot both spend its last token — the second one's write finds a newer version and reads again.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option } from "effect"
import type { Bucket } from "../policy/tokenBucket.js"

export interface StoredBucket {
  readonly bucket: Bucket
  readonly version: number
}

export interface RateBudgetRepoShape {
  readonly read: (account: string) => Effect.Effect<Option.Option<StoredBucket>>
  /** Writes `next` if the row is still at `seen` (none: not yet there); whether it was written. */
  readonly swap: (account: string, seen: Option.Option<StoredBucket>, next: Bucket) => Effect.Effect<boolean>
}

export class RateBudgetRepo extends Context.Tag("RateBudgetRepo")<RateBudgetRepo, RateBudgetRepoShape>() {}

interface Row {
  readonly tokens: number
  readonly countedAt: string | number
  readonly version: string | number
}

export const RateBudgetRepoLive = Layer.effect(
  RateBudgetRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return RateBudgetRepo.of({
      read: (account) =>
        sql<Row>`
          SELECT tokens, counted_at, version FROM exotel_rate_budget WHERE account = ${account}`.pipe(
          Effect.map((rows) =>
            Option.map(Option.fromNullable(rows[0]), (row) => ({
              bucket: { tokens: Number(row.tokens), at: Number(row.countedAt) },
              version: Number(row.version),
            })),
          ),
          Effect.orDie,
        ),
      swap: (account, seen, next) =>
        Option.match(seen, {
          onNone: () => sql<{ account: string }>`
            INSERT INTO exotel_rate_budget (account, tokens, counted_at, version)
            VALUES (${account}, ${next.tokens}, ${Math.round(next.at)}, 1)
            ON CONFLICT (account) DO NOTHING
            RETURNING account`,
          onSome: (stored) => sql<{ account: string }>`
            UPDATE exotel_rate_budget
            SET tokens = ${next.tokens}, counted_at = ${Math.round(next.at)}, version = version + 1
            WHERE account = ${account} AND version = ${stored.version}
            RETURNING account`,
        }).pipe(
          Effect.map((rows) => rows.length === 1),
          Effect.orDie,
        ),
    })
  }),
)
