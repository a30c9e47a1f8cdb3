// API keys for the roles below admin: stored as SHA-256 hashes, shown in full only when created.
import { createHash, randomBytes } from "node:crypto"
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option, Redacted, Schema } from "effect"
import { Role } from "../domain/Role.js"
import type { BucketRule } from "../policy/tokenBucket.js"

export const ApiKeyRecord = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  role: Role,
  tokenPrefix: Schema.String,
  createdAt: Schema.DateFromSelf,
  revokedAt: Schema.NullOr(Schema.DateFromSelf),
  /** The key's own request rate; null for its role's. */
  ratePerSecond: Schema.NullOr(Schema.Number),
  rateBurst: Schema.NullOr(Schema.Number),
})
export type ApiKeyRecord = typeof ApiKeyRecord.Type

/** The key's own bucket, if it was issued with one. */
export const ownRateLimit = (key: ApiKeyRecord): Option.Option<BucketRule> =>
  key.ratePerSecond === null || key.rateBurst === null
    ? Option.none()
    : Option.some({ perSecond: key.ratePerSecond, burst: key.rateBurst })

const decodeRecords = Schema.decodeUnknown(Schema.Array(ApiKeyRecord))
const decodeFirst = (rows: ReadonlyArray<unknown>) =>
  Effect.map(decodeRecords(rows), (r) => Option.fromNullable(r[0]))

export interface IssuedApiKey {
  readonly record: ApiKeyRecord
  readonly token: Redacted.Redacted
}

export interface ApiKeysRepoShape {
  readonly issue: (
    name: string,
    role: Role,
    rateLimit: Option.Option<BucketRule>,
  ) => Effect.Effect<IssuedApiKey>
  readonly list: Effect.Effect<ReadonlyArray<ApiKeyRecord>>
  /** Revokes an active key; none when there is no such key. */
  readonly revoke: (id: string) => Effect.Effect<Option.Option<ApiKeyRecord>>
  readonly findActiveByToken: (token: Redacted.Redacted) => Effect.Effect<Option.Option<ApiKeyRecord>>
}

export class ApiKeysRepo extends Context.Tag("ApiKeysRepo")<ApiKeysRepo, ApiKeysRepoShape>() {}

/** Tokens carry 256 random bits, so a fast hash is enough: there is nothing to brute-force. */
export const tokenHash = (token: Redacted.Redacted): string =>
  createHash("sha256").update(Redacted.value(token), "utf8").digest("hex")

export const ApiKeysRepoLive = Layer.effect(
  ApiKeysRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const columns = sql`id, name, role, token_prefix, created_at, revoked_at, rate_per_second, rate_burst`
    return ApiKeysRepo.of({
      issue: (name, role, rateLimit) =>
        Effect.gen(function* () {
          const id = `key_${randomBytes(9).toString("base64url")}`
          const token = Redacted.make(`evg_${role}_${randomBytes(32).toString("base64url")}`)
          const tokenPrefix = `${Redacted.value(token).slice(0, 16)}…`
          const record = yield* sql`
            INSERT INTO api_keys (id, name, role, token_hash, token_prefix, rate_per_second, rate_burst)
            VALUES (${id}, ${name}, ${role}, ${tokenHash(token)}, ${tokenPrefix},
              ${Option.getOrNull(Option.map(rateLimit, (r) => r.perSecond))},
              ${Option.getOrNull(Option.map(rateLimit, (r) => r.burst))})
            RETURNING ${columns}`.pipe(Effect.flatMap(decodeFirst), Effect.flatten)
          return { record, token }
        }).pipe(Effect.orDie),
      list: sql`SELECT ${columns} FROM api_keys ORDER BY created_at, id`.pipe(
        Effect.flatMap(decodeRecords),
        Effect.orDie,
      ),
      revoke: (id) =>
        sql`UPDATE api_keys SET revoked_at = NOW() WHERE id = ${id} AND revoked_at IS NULL RETURNING ${columns}`.pipe(
          Effect.flatMap(decodeFirst),
          Effect.orDie,
        ),
      findActiveByToken: (token) =>
        sql`SELECT ${columns} FROM api_keys WHERE token_hash = ${tokenHash(token)} AND revoked_at IS NULL`.pipe(
          Effect.flatMap(decodeFirst),
          Effect.orDie,
        ),
    })
  }),
)
