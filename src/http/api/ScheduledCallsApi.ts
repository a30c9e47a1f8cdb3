// Scheduled calls: a call to make at the best allowed time, retried with backoff, and followed to its end.
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { BadRequest, Conflict, Forbidden, NotFound, Unprocessable } from "../../domain/errors.js"
import { JsonObject } from "../../domain/JsonValue.js"
import { ScheduleCallRequest } from "../../domain/ScheduledCall.js"
import { Guard, requires } from "../Authentication.js"

export const CallScheduled = Schema.Struct({
  id: Schema.String,
  scheduledTime: Schema.String,
  status: Schema.Literal("scheduled"),
  preferredTime: Schema.NullOr(Schema.String),
  /** Why the preferred time was not kept; null when it was. */
  movedBecause: Schema.NullOr(Schema.String),
}).annotations({ identifier: "CallScheduled" })

export const ScheduledCallView = Schema.Struct({
  id: Schema.String,
  phone: Schema.String,
  purpose: Schema.String,
  priority: Schema.Number,
  context: JsonObject,
  useVerifiedCall: Schema.Boolean,
  status: Schema.String,
  scheduledTime: Schema.String,
  preferredTime: Schema.NullOr(Schema.String),
  movedBecause: Schema.NullOr(Schema.String),
  attempts: Schema.Number,
  lastOutcome: Schema.NullOr(Schema.String),
  retryConfig: JsonObject,
  createdAt: Schema.String,
  updatedAt: Schema.String,
  finishedAt: Schema.NullOr(Schema.String),
}).annotations({ identifier: "ScheduledCall" })

export const AttemptView = Schema.Struct({
  attempt: Schema.Number,
  decision: Schema.String,
  callId: Schema.NullOr(Schema.String),
  outcome: Schema.NullOr(Schema.String),
  nextAt: Schema.NullOr(Schema.String),
  detail: Schema.NullOr(Schema.String),
  at: Schema.String,
}).annotations({ identifier: "ScheduledCallAttempt" })

export const ScheduledCallDetail = Schema.Struct({
  ...ScheduledCallView.fields,
  attemptLog: Schema.Array(AttemptView),
}).annotations({ identifier: "ScheduledCallDetail" })

export const ScheduledCallList = Schema.Struct({
  scheduledCalls: Schema.Array(ScheduledCallView),
  count: Schema.Number,
}).annotations({ identifier: "ScheduledCallList" })

const count = Schema.Number
export const ScheduledCallStatsView = Schema.Struct({
  period: Schema.NullOr(Schema.Literal("24h", "7d", "30d")),
  total: count,
  pending: count,
  dispatching: count,
  inProgress: count,
  completed: count,
  failed: count,
  cancelled: count,
  placed: count,
  outcomes: Schema.Struct({
    completed: count,
    busy: count,
    noAnswer: count,
    networkError: count,
    failed: count,
  }),
  retriesScheduled: count,
  movedByTiming: count,
  gaveUp: count,
  /** Completed outcomes over placed attempts; null before any was placed. */
  answerRate: Schema.NullOr(Schema.Number),
}).annotations({ identifier: "ScheduledCallStats" })

const Limit = Schema.Number.pipe(
  Schema.filter((n) => Number.isInteger(n) && n >= 1 && n <= 1000, {
    message: (issue) => `limit must be a whole number from 1 to 1000, got ${JSON.stringify(issue.actual)}`,
  }),
)

/** How many pending calls to list (100 when left out). */
export const PendingCallsQuery = Schema.Struct({ limit: Schema.optional(Limit) })

/** The period the summary counts (all time when left out). */
export const ScheduledCallStatsQuery = Schema.Struct({
  period: Schema.optional(Schema.Literal("24h", "7d", "30d")),
})

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
      .setUrlParams(Schema.Struct({ limit: Schema.optional(Schema.compose(Schema.NumberFromString, Limit)) }))
      .addSuccess(ScheduledCallList)
      .addError(BadRequest)
      .pipe(requires("viewer"))
      .annotate(
        OpenApi.Description,
        "Pending scheduled calls, by due time, then priority (at most `limit`, 100).",
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
