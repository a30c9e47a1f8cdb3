// GET /status and GET /metrics: what an operator or a scraper reads about the running gateway.
// The request and response schemas; the endpoints are src/http/api/SystemApi.ts.
import { Schema } from "effect"
import { DatabaseModeSchema, UpstreamModeSchema } from "./health.js"

export const Status = Schema.Struct({
  service: Schema.Literal("exotel-voice-gateway"),
  version: Schema.String,
  startedAt: Schema.String,
  uptimeSeconds: Schema.Number,
  enabled: Schema.Boolean,
  database: Schema.Struct({
    mode: DatabaseModeSchema,
    reachable: Schema.Boolean,
    latencyMs: Schema.NullOr(Schema.Number),
    serverVersion: Schema.NullOr(Schema.String),
    error: Schema.NullOr(Schema.String),
  }),
  upstream: Schema.Struct({ mode: UpstreamModeSchema, baseUrl: Schema.NullOr(Schema.String) }),
  nerve: Schema.Struct({ mode: Schema.Literal("external", "built-in"), url: Schema.NullOr(Schema.String) }),
  publicBaseUrl: Schema.String,
  process: Schema.Struct({
    node: Schema.String,
    pid: Schema.Number,
    rssBytes: Schema.Number,
    heapUsedBytes: Schema.Number,
  }),
}).annotations({ identifier: "Status" })
