// GET /health: open to load balancers and to Exotel's own checks; says which database and upstream are used.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Health, HealthUnavailable } from "../../api/health.js"

export const HealthApi = HttpApiGroup.make("health")
  .add(
    HttpApiEndpoint.get("health", "/health")
      .annotate(OpenApi.Summary, "Check liveness and readiness")
      .addSuccess(Health)
      .addError(HealthUnavailable)
      .annotate(OpenApi.Description, "Liveness and readiness. Open: needs no token."),
  )
  .annotate(OpenApi.Title, "Health")
  .annotate(
    OpenApi.Description,
    "Whether the gateway can serve: its database and upstream. Open to load balancers; needs no token.",
  )
