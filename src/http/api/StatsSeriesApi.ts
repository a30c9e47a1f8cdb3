// GET /stats/series: the console's charts, one time bucket per hour (24h) or day (7d, 30d).
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { StatsSeries, StatsSeriesQuery } from "../../api/statsSeries.js"
import { Guard, requires } from "../Authentication.js"

export const StatsSeriesApi = HttpApiGroup.make("statsSeries")
  .add(
    HttpApiEndpoint.get("series", "/stats/series")
      .annotate(OpenApi.Summary, "Read the period's figures per hour or per day, for charts")
      .setUrlParams(StatsSeriesQuery)
      .addSuccess(StatsSeries)
      .pipe(requires("viewer"))
      .annotate(
        OpenApi.Description,
        "The period (`24h`, the default; `7d`; `30d`) cut into hours (24h) or days, begun on the timing " +
          "configuration's clock, oldest first and the current one last. Each bucket has the calls placed and " +
          "answered, the Nerve calls and their answers, the vendor confirmations accepted, rejected or unanswered, " +
          "and the CQA analyses' mean sentiment and compliance pass rate. A bucket with nothing in it is listed with " +
          "zeros, and null rates.",
      ),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Statistics series")
  .annotate(OpenApi.Description, "The figures of a period per hour or per day, as the console charts them.")
