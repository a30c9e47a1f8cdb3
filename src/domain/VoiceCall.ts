// The vocabulary of AI voice calls (the seed's Nerve section and voice_calls table): call types, statuses,
// Nerve callback events, languages, rejection reasons and the domain events the order system listens to.
import { Schema } from "effect"
import { OrderEvent } from "./VoiceOrder.js"

export const CallType = Schema.Literal(
  "vendor_confirmation",
  "vendor_prep_time",
  "rider_assignment",
  "rider_pickup_ready",
)
export type CallType = typeof CallType.Type

/**
 * How a voice call (and each of its attempts) ended, in the seed's status vocabulary: its decision when it got
 * one (`prep_time_set` when a prep time was collected, which implies acceptance), else how the line ended.
 */
export const CallOutcome = Schema.Literal(
  "accepted",
  "rejected",
  "prep_time_set",
  "completed",
  "failed",
  "busy",
  "no_response",
)
export type CallOutcome = typeof CallOutcome.Type

/** The seed's callback events, also the values of voice_calls.status: the line's progress, then its outcome. */
export const CallStatus = Schema.Literal("initiated", "ringing", "answered", ...CallOutcome.literals)
export type CallStatus = typeof CallStatus.Type

/** The order system's question, "accepted or rejected?", answered from a call's status. */
export const decisionOfStatus = (status: string): "accepted" | "rejected" | null =>
  status === "accepted" || status === "prep_time_set" ? "accepted" : status === "rejected" ? "rejected" : null

export const Language = Schema.Literal("hi", "en")
export type Language = typeof Language.Type

/** "hi-IN" and "en-IN" as the seed's voice-stream request writes them; anything else speaks Hindi. */
export const languageOf = (tag: string | null | undefined): Language =>
  tag?.toLowerCase().startsWith("en") === true ? "en" : "hi"

/** The reason menu after a vendor presses 2: keys 1–4. */
export const RejectionReason = Schema.Literal("item_unavailable", "shop_closed", "too_busy", "other")
export type RejectionReason = typeof RejectionReason.Type

export const DomainEventType = Schema.Literal(
  "VENDOR_ACCEPTED",
  "VENDOR_REJECTED",
  "VENDOR_PREP_TIME_SET",
  "RIDER_ACCEPTED",
  "RIDER_REJECTED",
  "VOICE_CALL_FAILED",
)
export type DomainEventType = typeof DomainEventType.Type

/** What the order system receives about a Nerve call, on the in-process PubSub and on its webhooks. */
export const CallEvent = Schema.Struct({
  eventId: Schema.String,
  type: DomainEventType,
  callId: Schema.String,
  callType: CallType,
  orderId: Schema.NullOr(Schema.Number),
  vendorId: Schema.NullOr(Schema.Number),
  riderId: Schema.NullOr(Schema.Number),
  prepTimeMinutes: Schema.NullOr(Schema.Number),
  reason: Schema.NullOr(Schema.String),
  occurredAt: Schema.String,
}).annotations({ identifier: "CallEvent" })
export type CallEvent = typeof CallEvent.Type

/** Every event the order system hears, by `type`; `eventId` de-duplicates redeliveries. */
export const DomainEvent = Schema.Union(CallEvent, OrderEvent).annotations({ identifier: "DomainEvent" })
export type DomainEvent = typeof DomainEvent.Type
