// What the operations console reads: who is signed in, and the live events it is pushed.
// The request and response schemas; the endpoints are src/http/api/ConsoleApi.ts.
import { Schema } from "effect"
import { Role } from "../domain/Role.js"
import { CallStatus, CallType, DomainEvent } from "../domain/VoiceCall.js"

export const ConsoleSession = Schema.Struct({
  role: Role,
  /** "admin" for the admin token, else the API key's id. */
  keyId: Schema.String,
}).annotations({ identifier: "ConsoleSession" })

/** A call of the calls table (click-to-call, campaign, scheduled, verified) changed status. */
export const CallStatusEvent = Schema.Struct({
  _tag: Schema.Literal("CallStatus"),
  callId: Schema.String,
  kind: Schema.String,
  status: Schema.String,
  terminal: Schema.Boolean,
  durationSeconds: Schema.NullOr(Schema.Number),
  at: Schema.String,
}).annotations({ identifier: "CallStatusEvent" })

/** A Nerve voice call (vendor or rider) took a step of its flow: its state, the key pressed, the prompt started. */
export const VoiceCallStepEvent = Schema.Struct({
  _tag: Schema.Literal("VoiceCallStep"),
  callId: Schema.String,
  callType: CallType,
  status: CallStatus,
  ended: Schema.Boolean,
  attempt: Schema.Number,
  orderId: Schema.NullOr(Schema.Number),
  vendorId: Schema.NullOr(Schema.Number),
  riderId: Schema.NullOr(Schema.Number),
  key: Schema.NullOr(Schema.String),
  prompt: Schema.NullOr(Schema.String),
  /** The prompt is being played to the caller now; false once it has been heard out. */
  promptPlaying: Schema.Boolean,
  at: Schema.String,
}).annotations({ identifier: "VoiceCallStepEvent" })

/** A domain event of a Nerve (vendor or rider) call or of an order, as webhooks carry it. */
export const ConsoleDomainEvent = Schema.Struct({
  _tag: Schema.Literal("Domain"),
  event: DomainEvent,
}).annotations({ identifier: "ConsoleDomainEvent" })

/** One `data:` line of the console's event stream. */
export const ConsoleEvent = Schema.Union(CallStatusEvent, VoiceCallStepEvent, ConsoleDomainEvent).annotations(
  {
    identifier: "ConsoleEvent",
  },
)
export type ConsoleEvent = typeof ConsoleEvent.Type
