// API keys for operators and viewers, issued and revoked by admins.
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { ApiKeyCreate, ApiKeyList, IssuedApiKeyView } from "../../api/apiKeys.js"
import { NotFound } from "../../domain/errors.js"
import { Guard, requires } from "../Authentication.js"

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
      .addSuccess(ApiKeyList)
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
