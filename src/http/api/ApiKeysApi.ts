// API keys for operators and viewers, issued and revoked by admins.
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { NotFound } from "../../domain/errors.js"
import { Guard, requires } from "../Authentication.js"

const IssuableRole = Schema.Literal("viewer", "operator").annotations({
  message: (issue) => ({
    message: `must be "viewer" or "operator" (the admin token is configured, not issued), got ${JSON.stringify(issue.actual)}`,
    override: true,
  }),
})

export const ApiKeyCreate = Schema.Struct({
  name: Schema.String.pipe(
    Schema.filter((s) => s.trim().length >= 1 && s.length <= 100, {
      message: () => "must be 1 to 100 characters",
    }),
  ),
  role: IssuableRole,
}).annotations({ identifier: "ApiKeyCreate", parseOptions: { errors: "all" } })

export const ApiKeyView = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  role: Schema.String,
  prefix: Schema.String,
  createdAt: Schema.String,
  revokedAt: Schema.NullOr(Schema.String),
}).annotations({ identifier: "ApiKey" })

export const IssuedApiKeyView = Schema.Struct({
  ...ApiKeyView.fields,
  key: Schema.String.annotations({
    description: "The bearer token. Shown this once; only its hash is stored.",
  }),
}).annotations({ identifier: "IssuedApiKey" })

export const ApiKeysApi = HttpApiGroup.make("apiKeys")
  .add(
    HttpApiEndpoint.post("create", "/api-keys")
      .annotate(OpenApi.Summary, "Issue an API key")
      .setPayload(ApiKeyCreate)
      .addSuccess(IssuedApiKeyView, { status: 201 })
      .pipe(requires("admin")),
  )
  .add(
    HttpApiEndpoint.get("list", "/api-keys")
      .annotate(OpenApi.Summary, "List the API keys")
      .addSuccess(Schema.Struct({ apiKeys: Schema.Array(ApiKeyView) }))
      .pipe(requires("admin")),
  )
  .add(
    HttpApiEndpoint.del("revoke", "/api-keys/:id")
      .annotate(OpenApi.Summary, "Revoke an API key")
      .setPath(Schema.Struct({ id: Schema.String }))
      .addSuccess(HttpApiSchema.NoContent)
      .addError(NotFound)
      .pipe(requires("admin")),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "API keys")
  .annotate(
    OpenApi.Description,
    "Bearer tokens for operators and viewers, issued and revoked by admins. A key's token is shown once, " +
      "when it is issued; only its hash is kept.",
  )
