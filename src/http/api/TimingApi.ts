// GET /timing/check: may we call or text now, and if not, when?
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { TimingCheckQuery, TimingDecisionView } from "../../api/timing.js"
import { Guard, requires } from "../Authentication.js"

export const TimingApi = HttpApiGroup.make("timing")
  .add(
    HttpApiEndpoint.get("check", "/timing/check")
      .annotate(OpenApi.Summary, "Check whether a call or SMS is allowed now")
      .setUrlParams(TimingCheckQuery)
      .addSuccess(TimingDecisionView)
      .pipe(requires("viewer"))
      .annotate(
        OpenApi.Description,
        "Whether a call or SMS for the purpose is allowed now; `reason` and `nextAvailableTime` answer for " +
          "`channel` (default `call`). Transactional purposes are allowed at any hour.",
      ),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Timing")
  .annotate(
    OpenApi.Description,
    "The timing rules applied to an instant: business hours, the DND window, the promotional SMS window.",
  )
