// The seed's monitoring figures for calls and SMS ("Key Metrics to Monitor" 1–4): the seed lists them but
// names no endpoint, so they sit beside the call log as GET /calls/stats.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { TrafficStats, TrafficStatsQuery } from "../../api/trafficStats.js"
import { Guard, requires } from "../Authentication.js"

export const TrafficStatsApi = HttpApiGroup.make("trafficStats")
  .add(
    HttpApiEndpoint.get("stats", "/calls/stats")
      .annotate(OpenApi.Summary, "Read the call and SMS statistics")
      .setUrlParams(TrafficStatsQuery)
      .addSuccess(TrafficStats)
      .pipe(requires("viewer"))
      .annotate(
        OpenApi.Description,
        "Call success rate (completed / attempts), answer rate, average duration of completed calls, and SMS " +
          "delivery rate (delivered / sent) for the period.",
      ),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Call and SMS statistics")
  .annotate(OpenApi.Description, "Success, answer and delivery rates of the calls and SMS of a period.")
