// A call to make later: the seed's scheduled-call body, its life cycle, and the decisions recorded about it.
import { Schema } from "effect"
import { CallPurpose } from "./CallPurpose.js"
import { JsonObject } from "./JsonValue.js"
import { PhoneNumber } from "./PhoneNumber.js"
import { Language } from "./VoiceCall.js"

export const scheduledCallStatuses = [
  "pending",
  "dispatching",
  "in_progress",
  "completed",
  "failed",
  "cancelled",
] as const
export type ScheduledCallStatus = (typeof scheduledCallStatuses)[number]

/**
 * Every decision the dispatcher takes, one row each: claimed for dispatch (the calls row written), placed
 * (Exotel accepted it), adopted (found at Exotel after a crash), moved by the timing policy at dispatch, the
 * outcome, a retry scheduled, given up, cancelled.
 */
export type AttemptDecision =
  | "claimed"
  | "placed"
  | "adopted"
  | "moved"
  | "outcome"
  | "retry_scheduled"
  | "gave_up"
  | "cancelled"

const wholeNumber = (min: number, max: number) =>
  Schema.Number.pipe(
    Schema.filter((n) => Number.isInteger(n) && n >= min && n <= max, {
      message: (issue) => `must be a whole number from ${min} to ${max}, got ${JSON.stringify(issue.actual)}`,
    }),
  )

/** The seed's per-call retry settings; what is left out comes from the gateway's retry configuration. */
export const ScheduledRetryConfig = Schema.Struct({
  maxAttempts: Schema.optional(wholeNumber(1, 10)),
  initialDelaySeconds: Schema.optional(wholeNumber(1, 86_400)),
  backoffMultiplier: Schema.optional(
    Schema.Number.pipe(
      Schema.filter((n) => n >= 1 && n <= 10, {
        message: (issue) => `must be a number from 1 to 10, got ${JSON.stringify(issue.actual)}`,
      }),
    ),
  ),
  maxDelaySeconds: Schema.optional(wholeNumber(1, 86_400)),
})

const IsoInstant = Schema.String.pipe(
  Schema.filter((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: (issue) =>
      `must be an ISO 8601 date-time such as "2024-01-20T14:00:00Z", got ${JSON.stringify(issue.actual)}`,
  }),
)

export const ScheduleCallRequest = Schema.Struct({
  phone: PhoneNumber,
  purpose: CallPurpose,
  preferredTime: Schema.optional(IsoInstant),
  context: Schema.optional(JsonObject),
  useVerifiedCall: Schema.optional(Schema.Boolean),
  retryConfig: Schema.optional(ScheduledRetryConfig),
  /** 1 is the most urgent; calls due together go out in priority order. */
  priority: Schema.optional(wholeNumber(1, 10)),
  /** The language the purpose's script is spoken in: "hi" or "en" (the default). */
  language: Schema.optional(Language),
}).annotations({ parseOptions: { errors: "all" }, identifier: "ScheduleCallRequest" })
export type ScheduleCallRequest = typeof ScheduleCallRequest.Type

export const defaultPriority = 5
