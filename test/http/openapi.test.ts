// The OpenAPI document as a tool reads it: fetched over HTTP from the running gateway, valid against the
// OpenAPI 3.1 schema (the schemas inside it against JSON Schema 2020-12 too), and described well enough for a
// client generator: every operation has a summary and a unique operationId, every tag a description, and the
// paths are relative to the one server, the API's base path.

import { expect, layer } from "@effect/vitest"
import { Validator } from "@seriousme/openapi-schema-validator"
import { Effect, Schema } from "effect"
import { clientWith, TestGatewayLive } from "../support/testGateway.js"

const Operation = Schema.Struct({
  operationId: Schema.optional(Schema.String),
  summary: Schema.optional(Schema.String),
  tags: Schema.optional(Schema.Array(Schema.String)),
})

const Document = Schema.Struct({
  servers: Schema.optional(Schema.Array(Schema.Struct({ url: Schema.String }))),
  tags: Schema.Array(Schema.Struct({ name: Schema.String, description: Schema.optional(Schema.String) })),
  paths: Schema.Record({
    key: Schema.String,
    value: Schema.Record({ key: Schema.String, value: Operation }),
  }),
})

const JsonObject = Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Unknown }))

const served = Effect.gen(function* () {
  const client = yield* clientWith(undefined)
  const response = yield* client.get("/api/docs/openapi.json")
  expect(response.status).toBe(200)
  const raw = yield* Schema.decodeUnknown(JsonObject)(yield* response.text)
  return { raw, document: yield* Schema.decodeUnknown(Document)(raw) }
})

const operationsOf = (document: typeof Document.Type) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      route: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  )

const basePath = "/api/exotel"

layer(TestGatewayLive(), { timeout: 60_000, excludeTestServices: true })(
  "the served OpenAPI document",
  (it) => {
    it.effect("validates against the OpenAPI 3.1 schema", () =>
      Effect.gen(function* () {
        const { raw } = yield* served
        const validator = new Validator()
        const result = yield* Effect.promise(() => validator.validate(raw))
        expect(result.errors).toBeUndefined()
        expect(result.valid).toBe(true)
        expect(validator.version).toBe("3.1")
      }),
    )

    it.effect("gives every operation a summary and a unique operationId", () =>
      Effect.gen(function* () {
        const { document } = yield* served
        const operations = operationsOf(document)
        expect(operations.length).toBeGreaterThan(50)
        const withoutSummary = operations.filter(({ operation }) => (operation.summary ?? "").trim() === "")
        expect(withoutSummary.map(({ route }) => route)).toEqual([])
        const withoutId = operations.filter(({ operation }) => (operation.operationId ?? "").trim() === "")
        expect(withoutId.map(({ route }) => route)).toEqual([])
        const ids = operations.map(({ operation }) => operation.operationId)
        expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([])
      }),
    )

    it.effect("describes every tag, and tags each operation with a declared one", () =>
      Effect.gen(function* () {
        const { document } = yield* served
        const undescribed = document.tags.filter((tag) => (tag.description ?? "").trim() === "")
        expect(undescribed.map((tag) => tag.name)).toEqual([])
        const declared = new Set(document.tags.map((tag) => tag.name))
        const untagged = operationsOf(document).filter(
          ({ operation }) =>
            operation.tags === undefined ||
            operation.tags.length === 0 ||
            operation.tags.some((tag) => !declared.has(tag)),
        )
        expect(untagged.map(({ route }) => route)).toEqual([])
      }),
    )

    it.effect("names the base path as its server, and its paths are served under it", () =>
      Effect.gen(function* () {
        const { document } = yield* served
        expect(document.servers?.map((server) => server.url)).toEqual([basePath])
        const paths = Object.keys(document.paths)
        expect(paths.filter((path) => path.startsWith(basePath))).toEqual([])
        expect(paths).toContain("/health")
        const client = yield* clientWith(undefined)
        const health = yield* client.get(`${basePath}/health`)
        expect(health.status).toBe(200)
      }),
    )
  },
)
