// Scheduled calls: a call to make at the best allowed time, retried with backoff, and followed to its end.
// The request and response schemas; the endpoints are src/http/api/ScheduledCallsApi.ts.
import { Schema } from "effect"
import { JsonObject } from "../domain/JsonValue.js"

export const CallScheduled = Schema.Struct({
  id: Schema.String,
  scheduledTime: Schema.String,
  status: Schema.Literal("scheduled"),
  language: Schema.Literal("hi", "en"),
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
  /** The language its script is spoken in. */
  language: Schema.Literal("hi", "en"),
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

/** PendingCallsQuery as a URL carries it: the limit as a string. */
export const PendingCallsUrlParams = Schema.Struct({
  limit: Schema.optional(Schema.compose(Schema.NumberFromString, Limit)),
})

/** The period the summary counts (all time when left out). */
export const ScheduledCallStatsQuery = Schema.Struct({
  period: Schema.optional(Schema.Literal("24h", "7d", "30d")),
})

/** How many upcoming calls to explain (10 when left out). */
export const UpcomingCallsQuery = Schema.Struct({
  limit: Schema.optionalWith(
    Schema.compose(
      Schema.NumberFromString,
      Schema.Number.pipe(
        Schema.filter((n) => Number.isInteger(n) && n >= 1 && n <= 100, {
          message: (issue) =>
            `limit must be a whole number from 1 to 100, got ${JSON.stringify(issue.actual)}`,
        }),
      ),
    ),
    { default: () => 10 },
  ),
})

export const WaitingReasonView = Schema.Struct({
  kind: Schema.Literal(
    "due",
    "not_due",
    "dnd",
    "business_hours",
    "holiday",
    "weekend",
    "promo_window",
    "timing",
    "retry_backoff",
    "rate_budget",
  ),
  reason: Schema.String,
}).annotations({
  identifier: "ScheduledCallWaitingReason",
  description:
    "Why the call has not been dialled: not due yet, moved by the timing policy (DND, business hours, a holiday, " +
    "a weekend, the promotional window), a retry's backoff after attempt k, the Exotel rate budget, or due.",
})

export const UpcomingCalls = Schema.Struct({
  at: Schema.String,
  scheduledCalls: Schema.Array(Schema.Struct({ ...ScheduledCallView.fields, waiting: WaitingReasonView })),
}).annotations({ identifier: "UpcomingScheduledCalls" })
