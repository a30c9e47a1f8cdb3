// API keys for operators and viewers, issued and revoked by admins.
// The request and response schemas; the endpoints are src/http/api/ApiKeysApi.ts.
import { Schema } from "effect"

const IssuableRole = Schema.Literal("viewer", "operator").annotations({
  message: (issue) => ({
    message: `must be "viewer" or "operator" (the admin token is configured, not issued), got ${JSON.stringify(issue.actual)}`,
    override: true,
  }),
})

export const RateLimitView = Schema.Struct({
  perSecond: Schema.Number,
  burst: Schema.Number,
}).annotations({ identifier: "RateLimit" })

/** A key's own request rate; without `burst`, bursts of twice the rate. */
export const RateLimitInput = Schema.Struct({
  perSecond: Schema.Number.pipe(
    Schema.filter((n) => Number.isFinite(n) && n > 0 && n <= 1_000_000, {
      message: () => "must be a number of requests per second above 0 and at most 1000000",
    }),
  ),
  burst: Schema.optional(
    Schema.Number.pipe(
      Schema.filter((n) => Number.isInteger(n) && n >= 1 && n <= 10_000_000, {
        message: () => "must be a whole number of requests from 1 to 10000000",
      }),
    ),
  ),
})

export const ApiKeyCreate = Schema.Struct({
  name: Schema.String.pipe(
    Schema.filter((s) => s.trim().length >= 1 && s.length <= 100, {
      message: () => "must be 1 to 100 characters",
    }),
  ),
  role: IssuableRole,
  rateLimit: Schema.optional(RateLimitInput).annotations({
    description: "The key's own request rate, in place of its role's default (docs/security.md).",
  }),
}).annotations({ identifier: "ApiKeyCreate", parseOptions: { errors: "all" } })

export const ApiKeyView = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  role: Schema.String,
  prefix: Schema.String,
  createdAt: Schema.String,
  revokedAt: Schema.NullOr(Schema.String),
  /** Null: the role's default rate applies. */
  rateLimit: Schema.NullOr(RateLimitView),
}).annotations({ identifier: "ApiKey" })

export const IssuedApiKeyView = Schema.Struct({
  ...ApiKeyView.fields,
  key: Schema.String.annotations({
    description: "The bearer token. Shown this once; only its hash is stored.",
  }),
}).annotations({ identifier: "IssuedApiKey" })

export const ApiKeyList = Schema.Struct({ apiKeys: Schema.Array(ApiKeyView) })
