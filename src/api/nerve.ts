// The seed's Nerve endpoints: start vendor and rider calls, read them by order, stats, retry — and, in a
// group without the bearer guard, the callbacks: Nerve's (HMAC-signed) and Exotel's status callback for the
// calls the gateway places itself.
// The request and response schemas; the endpoints are src/http/api/NerveApi.ts.
import { Schema } from "effect"
import { JsonValue } from "../domain/JsonValue.js"
import { Period } from "../domain/periods.js"
import { VoiceCallAttempt, VoiceCallEvent, VoiceCallRow } from "../domain/VoiceCallRecord.js"

export const CallStarted = Schema.Struct({
  callId: Schema.String,
  callSid: Schema.NullOr(Schema.String),
  status: Schema.String,
  message: Schema.String,
}).annotations({ identifier: "CallStarted" })

const nullableDate = Schema.NullOr(Schema.Date)
export const VoiceCallView = Schema.Struct({
  ...VoiceCallRow.fields,
  status: Schema.String.annotations({
    description:
      "initiated, ringing, answered, accepted or rejected while the call is on; once it ended, its outcome: " +
      "accepted, rejected, prep_time_set (accepted with a prep time), completed, failed, busy or no_response.",
  }),
  initiatedAt: nullableDate,
  answeredAt: nullableDate,
  endedAt: nullableDate,
  createdAt: nullableDate,
  updatedAt: nullableDate,
  attempts: Schema.Array(
    VoiceCallAttempt.annotations({
      identifier: "VoiceCallAttempt",
      description:
        "status: how the line went (completed once the flow got its answer, else failed, busy or no_response); " +
        "outcome: what the attempt got, null while it is on.",
    }),
  ),
}).annotations({ identifier: "VoiceCall" })

export const OrderAnswer = Schema.Struct({
  callId: Schema.String,
  callType: Schema.String,
  status: Schema.String,
  decision: Schema.NullOr(Schema.Literal("accepted", "rejected")),
  prepTimeMinutes: Schema.NullOr(Schema.Number),
  rejectionReason: Schema.NullOr(Schema.String),
  vendorId: Schema.NullOr(Schema.Number),
  riderId: Schema.NullOr(Schema.Number),
}).annotations({
  identifier: "OrderAnswer",
  description:
    "A side's newest answered call (else its newest call, undecided); null when the order has no call of that side.",
})

export const OrderCalls = Schema.Struct({
  orderId: Schema.Number,
  vendor: Schema.NullOr(OrderAnswer),
  rider: Schema.NullOr(OrderAnswer),
  calls: Schema.Array(VoiceCallView),
}).annotations({ identifier: "OrderVoiceCalls" })

export const NerveHealth = Schema.Struct({
  mode: Schema.Literal("built-in", "external"),
  healthy: Schema.Boolean,
  url: Schema.NullOr(Schema.String),
  latencyMs: Schema.NullOr(Schema.Number),
}).annotations({ identifier: "NerveHealth" })

export const CallStats = Schema.Struct({
  period: Period,
  total: Schema.Number,
  byStatus: Schema.Record({ key: Schema.String, value: Schema.Number }),
  completed: Schema.Number,
  /** Completed calls / total calls (the seed's call success rate). */
  successRate: Schema.NullOr(Schema.Number),
  answered: Schema.Number,
  answerRate: Schema.NullOr(Schema.Number),
  averageDurationSeconds: Schema.NullOr(Schema.Number),
  accepted: Schema.Number,
  rejected: Schema.Number,
  /** Accepted / (accepted + rejected), over every flow that asks for a decision. */
  acceptanceRate: Schema.NullOr(Schema.Number),
  averagePrepTimeMinutes: Schema.NullOr(Schema.Number),
  /** Accepted / total vendor confirmation calls (the seed's "Nerve call success"). */
  vendorCalls: Schema.Struct({
    total: Schema.Number,
    accepted: Schema.Number,
    successRate: Schema.NullOr(Schema.Number),
  }),
  /** Every attempt of the period's calls (a retried call counts each), and the calls that took more than one. */
  attempts: Schema.Struct({ total: Schema.Number, callsRetried: Schema.Number }),
}).annotations({ identifier: "NerveCallStats" })

export const CallbackReceived = Schema.Struct({
  received: Schema.Literal(true),
  /** False for a repeat, or for an event that arrived after the call had finished (recorded, not applied). */
  applied: Schema.Boolean,
})

/** The period the counts cover (7d when left out). */
export const CallStatsQuery = Schema.Struct({
  period: Schema.optionalWith(Period, { default: () => "7d" as const }),
})

/** How many waiting calls to list (50 when left out). */
export const WaitingCallsQuery = Schema.Struct({
  limit: Schema.optionalWith(
    Schema.NumberFromString.pipe(
      Schema.filter((n) => Number.isInteger(n) && n >= 1 && n <= 200, {
        message: (issue) => `limit must be a whole number from 1 to 200, got ${JSON.stringify(issue.actual)}`,
      }),
    ),
    { default: () => 50 },
  ),
})

export const WaitingCalls = Schema.Struct({
  calls: Schema.Array(VoiceCallView),
}).annotations({
  identifier: "WaitingVoiceCalls",
  description:
    "Calls of the last 24 hours still waiting on their vendor or rider, newest first: on the line and " +
    "undecided (initiated, ringing, answered), or ended failed, busy or unanswered.",
})

/** An order id in a path: voice_calls.order_id is an INTEGER, so anything past it is refused by name. */
export const OrderIdPath = Schema.Struct({
  orderId: Schema.NumberFromString.pipe(
    Schema.filter((n) => Number.isInteger(n) && n >= 1 && n <= 2_147_483_647, {
      message: (issue) => `must be a whole number from 1 to 2147483647, got ${JSON.stringify(issue.actual)}`,
    }),
  ),
})

export const VoiceCallEventView = Schema.Struct({
  ...VoiceCallEvent.fields,
  // What came with the event (a callback's fields, a digit's source).
  detail: JsonValue,
  source: Schema.String.annotations({ description: "stream, nerve, exotel, timer or api" }),
  applied: Schema.Boolean.annotations({
    description:
      "False for an event recorded but not applied: a repeat, or one that came after the call ended.",
  }),
  statusAfter: Schema.String.annotations({ description: "The call's status once the event was taken." }),
  at: Schema.Date,
}).annotations({ identifier: "VoiceCallEvent" })

export const OrderCallLog = Schema.Struct({
  orderId: Schema.Number,
  calls: Schema.Array(
    Schema.Struct({ ...VoiceCallView.fields, events: Schema.Array(VoiceCallEventView) }).annotations({
      identifier: "VoiceCallWithEvents",
    }),
  ),
}).annotations({
  identifier: "OrderVoiceCallLog",
  description: "Every Nerve call of an order, oldest first, each with its attempts and its event log.",
})
