// GET /status and GET /metrics: what an operator or a scraper reads about the running gateway.
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { Guard, requires } from "../Authentication.js"
import { DatabaseModeSchema, UpstreamModeSchema } from "./HealthApi.js"

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

export const SystemApi = HttpApiGroup.make("system")
  .add(
    HttpApiEndpoint.get("status", "/status")
      .annotate(OpenApi.Summary, "Read the gateway's detailed status")
      .addSuccess(Status)
      .pipe(requires("viewer"))
      .annotate(
        OpenApi.Description,
        "Detailed status: database reachability and latency, upstream, process.",
      ),
  )
  .add(
    HttpApiEndpoint.get("metrics", "/metrics")
      .annotate(OpenApi.Summary, "Scrape the Prometheus metrics")
      .addSuccess(HttpApiSchema.Text({ contentType: "text/plain; version=0.0.4; charset=utf-8" }))
      .pipe(requires("viewer"))
      .annotate(OpenApi.Description, "Prometheus text exposition of the gateway's metrics."),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "System")
  .annotate(OpenApi.Description, "What an operator or a metrics scraper reads about the running gateway.")
