// A Nerve voice call as it is kept and shown: its voice_calls row and every attempt. The store reads and writes
// it (src/store/VoiceCallsRepo.ts); the API and the library show it.
import { Schema } from "effect"

/** A voice_calls row. Its status ends as the call's outcome (callOutcome.ts). */
export const VoiceCallRow = Schema.Struct({
  id: Schema.String,
  callType: Schema.String,
  status: Schema.String,
  orderId: Schema.NullOr(Schema.Number),
  vendorId: Schema.NullOr(Schema.Number),
  riderId: Schema.NullOr(Schema.Number),
  phoneNumber: Schema.String,
  recipientName: Schema.NullOr(Schema.String),
  callSid: Schema.NullOr(Schema.String),
  dtmfDigits: Schema.NullOr(Schema.String),
  prepTimeMinutes: Schema.NullOr(Schema.Number),
  rejectionReason: Schema.NullOr(Schema.String),
  recordingUrl: Schema.NullOr(Schema.String),
  language: Schema.NullOr(Schema.String),
  attemptNumber: Schema.NullOr(Schema.Number),
  maxAttempts: Schema.NullOr(Schema.Number),
  initiatedAt: Schema.NullOr(Schema.DateFromSelf),
  answeredAt: Schema.NullOr(Schema.DateFromSelf),
  endedAt: Schema.NullOr(Schema.DateFromSelf),
  durationSeconds: Schema.NullOr(Schema.Number),
  createdAt: Schema.NullOr(Schema.DateFromSelf),
  updatedAt: Schema.NullOr(Schema.DateFromSelf),
})
export type VoiceCallRow = typeof VoiceCallRow.Type

/** One attempt of a call: how its line went (`status`) and, once it ended, what it got (`outcome`). */
export const VoiceCallAttempt = Schema.Struct({
  attempt: Schema.Number,
  callSid: Schema.NullOr(Schema.String),
  status: Schema.String,
  outcome: Schema.NullOr(Schema.String),
  startedAt: Schema.Date,
  endedAt: Schema.NullOr(Schema.Date),
})
export type VoiceCallAttempt = typeof VoiceCallAttempt.Type

/** A voice call as the API shows it: its row and every attempt, first to last. */
export const VoiceCallRecord = Schema.Struct({
  ...VoiceCallRow.fields,
  attempts: Schema.Array(VoiceCallAttempt),
})
export type VoiceCallRecord = typeof VoiceCallRecord.Type

/** One entry of a call's append-only event log: what the flow heard, from where, and whether it applied it. */
export const VoiceCallEvent = Schema.Struct({
  callId: Schema.String,
  event: Schema.String,
  source: Schema.String,
  detail: Schema.Unknown,
  applied: Schema.Boolean,
  statusAfter: Schema.String,
  at: Schema.DateFromSelf,
})
export type VoiceCallEvent = typeof VoiceCallEvent.Type
