// API keys for the roles below admin: stored as SHA-256 hashes, shown in full only when created.
import { createHash, randomBytes } from "node:crypto"
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option, Redacted, Schema } from "effect"
import { Role } from "../domain/Role.js"

export const ApiKeyRecord = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  role: Role,
  tokenPrefix: Schema.String,
  createdAt: Schema.DateFromSelf,
  revokedAt: Schema.NullOr(Schema.DateFromSelf),
})
export type ApiKeyRecord = typeof ApiKeyRecord.Type

const decodeRecords = Schema.decodeUnknown(Schema.Array(ApiKeyRecord))
const decodeFirst = (rows: ReadonlyArray<unknown>) =>
  Effect.map(decodeRecords(rows), (r) => Option.fromNullable(r[0]))

export interface IssuedApiKey {
  readonly record: ApiKeyRecord
  readonly token: Redacted.Redacted
}

export interface ApiKeysRepoShape {
  readonly issue: (name: string, role: Role) => Effect.Effect<IssuedApiKey>
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
    const columns = sql`id, name, role, token_prefix, created_at, revoked_at`
    return ApiKeysRepo.of({
      issue: (name, role) =>
        Effect.gen(function* () {
          const id = `key_${randomBytes(9).toString("base64url")}`
          const token = Redacted.make(`evg_${role}_${randomBytes(32).toString("base64url")}`)
          const tokenPrefix = `${Redacted.value(token).slice(0, 16)}…`
          const record = yield* sql`
            INSERT INTO api_keys (id, name, role, token_hash, token_prefix)
            VALUES (${id}, ${name}, ${role}, ${tokenHash(token)}, ${tokenPrefix})
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
