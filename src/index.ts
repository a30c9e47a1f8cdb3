// exotel-voice-gateway as a library: the services a delivery backend uses in code, and the layer that runs
// the whole gateway in its process. The HTTP API is one consumer of these services; a backend is another.
// Everything exported here is covered by tests through this entry point (examples/).
import { Effect, Layer } from "effect"
import { GatewayEnvLive } from "./config/Env.js"
import { GatewayLive } from "./gateway.js"
import { VoiceFlowsLive } from "./services/VoiceFlows.js"
import { targetFromEnv } from "./store/Database.js"

export { DomainEvents } from "./actors/DomainEvents.js"
export type { StartedCall } from "./actors/VoiceCalls.js"
export { BadRequest } from "./domain/errors.js"
export { DomainEvent, DomainEventType } from "./domain/VoiceCall.js"
export { RiderAssignRequest, VendorConfirmRequest } from "./domain/voiceFlowRequests.js"
export { type EventHandlers, handleEvents, subscribeEvents } from "./services/GatewayEvents.js"
export {
  CallNotPlaced,
  type RiderAssignment,
  type VendorConfirmation,
  VoiceFlows,
  type VoiceFlowsShape,
} from "./services/VoiceFlows.js"
export type { VoiceCallRecord } from "./store/VoiceCallsRepo.js"

/**
 * The whole gateway in a host process, configured from the environment exactly as `npm start` is (README,
 * "Configuration"): its database, the Exotel upstream (or the simulator), and its HTTP server on PORT, which
 * Exotel's callbacks and voice streams need to reach.
 */
export const GatewayFromConfig = VoiceFlowsLive.pipe(
  Layer.provideMerge(Layer.unwrapEffect(Effect.map(targetFromEnv, GatewayLive))),
  Layer.provideMerge(GatewayEnvLive),
)
