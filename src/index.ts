// exotel-voice-gateway as a library: the services a delivery backend uses in code, and the layer that runs
// the whole gateway in its process. The HTTP API is one consumer of these services; a backend is another.
// Everything exported here is covered by tests through this entry point (examples/).
import { Effect, Layer } from "effect"
import { GatewayEnvLive } from "./config/Env.js"
import { GatewayLive } from "./gateway.js"
import { targetFromEnv } from "./store/Database.js"

export { DomainEvents } from "./actors/DomainEvents.js"
export type { StartedCall } from "./actors/VoiceCalls.js"
export { AgentCreate, AgentList, AgentStatusChange, AgentsQuery, AgentView } from "./api/agents.js"
export { CallInitiated, ClickToCallRequest, VerifiedCallInitiated, VerifiedCallRequest } from "./api/calls.js"
export {
  CampaignList,
  CampaignStatsView,
  CampaignView,
  PreviewContactView,
  PreviewDecided,
  PreviewDecision,
  PreviewOffer,
} from "./api/campaigns.js"
export {
  CallScheduled,
  PendingCallsQuery,
  ScheduledCallDetail,
  ScheduledCallList,
  ScheduledCallStatsQuery,
  ScheduledCallStatsView,
  ScheduledCallView,
} from "./api/scheduledCalls.js"
export { BulkSmsRequest, BulkSmsResult, SendSmsRequest, SmsAccepted } from "./api/sms.js"
export { WhatsAppAccepted, WhatsAppRequest } from "./api/whatsapp.js"
export { CampaignRequest } from "./domain/Campaign.js"
export {
  BadRequest,
  Conflict,
  Forbidden,
  NotFound,
  ServiceUnavailable,
  Unprocessable,
  UpstreamRejected,
} from "./domain/errors.js"
export { ScheduleCallRequest } from "./domain/ScheduledCall.js"
export { CallEvent, DomainEvent, DomainEventType } from "./domain/VoiceCall.js"
export type { VoiceCallRecord } from "./domain/VoiceCallRecord.js"
export { OrderEvent } from "./domain/VoiceOrder.js"
export { RiderAssignRequest, VendorConfirmRequest } from "./domain/voiceFlowRequests.js"
export { type CallFailure, type CallOptions, Calls, type CallsShape } from "./services/Calls.js"
export { Campaigns, type CampaignsShape } from "./services/Campaigns.js"
export { type EventHandlers, handleEvents, subscribeEvents } from "./services/GatewayEvents.js"
export {
  type MessageFailure,
  type MessageOptions,
  Messaging,
  type MessagingShape,
} from "./services/Messaging.js"
export { ScheduledCalls, type ScheduledCallsShape } from "./services/ScheduledCalls.js"
export {
  CallNotPlaced,
  type RiderAssignment,
  type VendorConfirmation,
  VoiceFlows,
  type VoiceFlowsShape,
} from "./services/VoiceFlows.js"

/**
 * The whole gateway in a host process, configured from the environment exactly as `npm start` is (README,
 * "Configuration"): its database, the Exotel upstream (or the simulator), and its HTTP server on PORT, which
 * Exotel's callbacks and voice streams need to reach.
 */
export const GatewayFromConfig = Layer.unwrapEffect(Effect.map(targetFromEnv, GatewayLive)).pipe(
  Layer.provideMerge(GatewayEnvLive),
)
