// Admins issue, list and revoke API keys.
import { HttpApiBuilder } from "@effect/platform"
import { Effect, Option, Redacted } from "effect"
import type { ApiKeyCreate } from "../../api/apiKeys.js"
import { NotFound } from "../../domain/errors.js"
import { defaultBurst } from "../../policy/tokenBucket.js"
import { type ApiKeyRecord, ApiKeysRepo, ownRateLimit } from "../../store/ApiKeysRepo.js"
import { GatewayApi } from "../GatewayApi.js"

const view = (key: ApiKeyRecord) => ({
  id: key.id,
  name: key.name,
  role: key.role,
  prefix: key.tokenPrefix,
  createdAt: key.createdAt.toISOString(),
  revokedAt: key.revokedAt === null ? null : key.revokedAt.toISOString(),
  rateLimit: Option.getOrNull(ownRateLimit(key)),
})

const rateLimitOf = (payload: typeof ApiKeyCreate.Type) =>
  Option.map(Option.fromNullable(payload.rateLimit), ({ perSecond, burst }) => ({
    perSecond,
    burst: burst ?? defaultBurst(perSecond),
  }))

export const ApiKeysHandlersLive = HttpApiBuilder.group(GatewayApi, "apiKeys", (handlers) =>
  Effect.gen(function* () {
    const repo = yield* ApiKeysRepo
    return handlers
      .handle("create", ({ payload }) =>
        Effect.map(
          repo.issue(payload.name.trim(), payload.role, rateLimitOf(payload)),
          ({ record, token }) => ({
            ...view(record),
            key: Redacted.value(token),
          }),
        ),
      )
      .handle("list", () => Effect.map(repo.list, (keys) => ({ apiKeys: keys.map(view) })))
      .handle("revoke", ({ path }) =>
        repo.revoke(path.id).pipe(
          Effect.flatMap(
            Option.match({
              onNone: () =>
                Effect.fail(
                  new NotFound({ message: `No active API key with id ${JSON.stringify(path.id)}` }),
                ),
              onSome: () => Effect.void,
            }),
          ),
        ),
      )
  }),
)
