// GET /status and GET /metrics: what an operator or a scraper reads about the running gateway.
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Status } from "../../api/system.js"
import { Guard, requires } from "../Authentication.js"

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
