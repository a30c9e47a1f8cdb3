// Scheduled calls: a call to make at the best allowed time, retried with backoff, and followed to its end.
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import {
  CallScheduled,
  PendingCallsUrlParams,
  ScheduledCallDetail,
  ScheduledCallList,
  ScheduledCallStatsQuery,
  ScheduledCallStatsView,
  ScheduledCallView,
  UpcomingCalls,
  UpcomingCallsQuery,
} from "../../api/scheduledCalls.js"
import { BadRequest, Conflict, Forbidden, NotFound, Unprocessable } from "../../domain/errors.js"
import { ScheduleCallRequest } from "../../domain/ScheduledCall.js"
import { Guard, requires } from "../Authentication.js"

const idParam = HttpApiSchema.param("id", Schema.String)

export const ScheduledCallsApi = HttpApiGroup.make("scheduledCalls")
  .add(
    HttpApiEndpoint.post("schedule", "/scheduled-calls")
      .annotate(OpenApi.Summary, "Schedule a call")
      .setPayload(ScheduleCallRequest)
      .addSuccess(CallScheduled, { status: 201 })
      .addError(BadRequest)
      .addError(Forbidden)
      .addError(Unprocessable)
      .pipe(requires("operator"))
      .annotate(
        OpenApi.Description,
        "Stores a call to make at `preferredTime` (or now), moved to the first instant the timing policy allows " +
          "for the purpose; `movedBecause` says why it moved. `priority` 1 is the most urgent (default 5). " +
          "`retryConfig` overrides the gateway's retry configuration for this call.",
      ),
  )
  .add(
    HttpApiEndpoint.get("listPending", "/scheduled-calls")
      .annotate(OpenApi.Summary, "List the pending scheduled calls")
      .setUrlParams(PendingCallsUrlParams)
      .addSuccess(ScheduledCallList)
      .addError(BadRequest)
      .pipe(requires("viewer"))
      .annotate(
        OpenApi.Description,
        "Pending scheduled calls, by due time, then priority (at most `limit`, 100).",
      ),
  )
  .add(
    HttpApiEndpoint.get("upcoming", "/scheduled-calls/upcoming")
      .annotate(OpenApi.Summary, "List the calls due next, and why each waits")
      .setUrlParams(UpcomingCallsQuery)
      .addSuccess(UpcomingCalls)
      .addError(BadRequest)
      .pipe(requires("viewer"))
      .annotate(
        OpenApi.Description,
        "The next `limit` (default 10, at most 100) pending calls by due time, each with `waiting`: why it has " +
          "not been dialled yet, decided by the dispatcher's own timing and rate-budget checks.",
      ),
  )
  .add(
    HttpApiEndpoint.get("stats", "/scheduled-calls/stats/summary")
      .annotate(OpenApi.Summary, "Count scheduled calls by status")
      .setUrlParams(ScheduledCallStatsQuery)
      .addSuccess(ScheduledCallStatsView)
      .addError(BadRequest)
      .pipe(requires("viewer"))
      .annotate(
        OpenApi.Description,
        "Counts by status of the calls scheduled in the period (all time when none), and of the attempts' " +
          "decisions in it: placed, outcomes, retries, moves by the timing policy, given up.",
      ),
  )
  .add(
    HttpApiEndpoint.get("get")`/scheduled-calls/${idParam}`
      .annotate(OpenApi.Summary, "Read a scheduled call and its decisions")
      .addSuccess(ScheduledCallDetail)
      .addError(NotFound)
      .pipe(requires("viewer"))
      .annotate(OpenApi.Description, "A scheduled call's status and every decision taken about it."),
  )
  .add(
    HttpApiEndpoint.post("cancel")`/scheduled-calls/${idParam}/cancel`
      .annotate(OpenApi.Summary, "Cancel a scheduled call")
      .addSuccess(ScheduledCallView)
      .addError(NotFound)
      .addError(Conflict)
      .pipe(requires("operator"))
      .annotate(
        OpenApi.Description,
        "Cancels a pending call; 409 once it is being dispatched or has finished.",
      ),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Scheduled calls")
  .annotate(
    OpenApi.Description,
    "Calls to make later, at the first time the timing rules allow, retried with backoff and followed to " +
      "their end.",
  )
