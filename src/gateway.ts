// How the gateway's layers fit together. main.ts runs this; tests and embedders build the same layers
// with their own database target and environment.
import { HttpLayerRouter } from "@effect/platform"
import { Duration, Effect, Layer } from "effect"
import { CallQualityLive } from "./actors/CallQuality.js"
import { CallStatusChangesLive } from "./actors/CallStatusChanges.js"
import { CampaignRunnersLive } from "./actors/CampaignRunners.js"
import { ScheduledCallDispatcherLive } from "./actors/ScheduledCallDispatcher.js"
import { ClusterLive } from "./cluster/Cluster.js"
import { AdminTokenLive } from "./config/AdminToken.js"
import { CqaSettingsLive } from "./config/CqaSettings.js"
import { CallbackUrlsLive } from "./config/callbackUrls.js"
import { GatewayEnv } from "./config/Env.js"
import { SecretBoxLive } from "./config/SecretBox.js"
import { SettingsLive } from "./config/Settings.js"
import { MaskExpiryLive } from "./http/handlers/MaskingHandlers.js"
import { HandshakeLimitLive, InboundLimiterLive, UnsizedBodyCapLive } from "./http/InboundLimiter.js"
import { NodeServerLive } from "./http/NodeServer.js"
import { RoutesLive } from "./http/Routes.js"
import { InProcessSimulatorLive } from "./inProcessSimulator.js"
import { CallsLive } from "./services/Calls.js"
import { CampaignsLive } from "./services/Campaigns.js"
import { MessagingLive } from "./services/Messaging.js"
import { ScheduledCallsLive } from "./services/ScheduledCalls.js"
import { VoiceFlowsLive } from "./services/VoiceFlows.js"
import { AgentsRepoLive } from "./store/AgentsRepo.js"
import { ApiKeysRepoLive } from "./store/ApiKeysRepo.js"
import { CallAudioRepoLive } from "./store/CallAudioRepo.js"
import { CallsRepoLive } from "./store/CallsRepo.js"
import { CampaignsRepoLive } from "./store/CampaignsRepo.js"
import { CqaResultsRepoLive } from "./store/CqaResultsRepo.js"
import { type DatabaseTarget, layerForTarget } from "./store/Database.js"
import { DialerStoreLive } from "./store/DialerStore.js"
import { ExotelRequestsRepoLive } from "./store/ExotelRequestsRepo.js"
import { IdempotencyRepoLive } from "./store/IdempotencyRepo.js"
import { MigrationsLive } from "./store/Migrations.js"
import { RateBudgetRepoLive } from "./store/RateBudgetRepo.js"
import { ScheduledCallsRepoLive } from "./store/ScheduledCallsRepo.js"
import { ScriptedCallsRepoLive } from "./store/ScriptedCallsRepo.js"
import { SmsRepoLive } from "./store/SmsRepo.js"
import { StatsSeriesRepoLive } from "./store/StatsSeriesRepo.js"
import { TrafficStatsRepoLive } from "./store/TrafficStatsRepo.js"
import { WhatsAppRepoLive } from "./store/WhatsAppRepo.js"
import { VoiceStreamServerLive } from "./stream/StreamBridge.js"
import { StreamCredentialsLive } from "./stream/StreamCredentials.js"
import { ExotelClientLive } from "./upstream/exotel/ExotelClient.js"
import { RateBudgetLive } from "./upstream/exotel/RateBudget.js"
import { VoiceLive } from "./voice.js"

/** The database, migrated before anyone reads it. */
export const StoreLive = (target: DatabaseTarget) =>
  MigrationsLive.pipe(Layer.provideMerge(layerForTarget(target)))

/**
 * The Exotel client, pointed at the in-process simulator when no Exotel account or service URL is set. Who
 * answers the simulator's streamed calls is the SimStreamDialer the caller provides (none by default).
 */
export const UpstreamLive = ExotelClientLive.pipe(
  Layer.provideMerge(RateBudgetLive),
  Layer.provideMerge(InProcessSimulatorLive),
)

/** Everything but the HTTP server: store, settings, secrets, repositories, upstream. Needs GatewayEnv. */
export const CoreLive = (target: DatabaseTarget) =>
  Layer.mergeAll(
    MaskExpiryLive,
    CallQualityLive.pipe(Layer.provideMerge(VoiceLive)),
    CampaignRunnersLive,
  ).pipe(
    Layer.provideMerge(CallStatusChangesLive),
    Layer.provideMerge(UpstreamLive),
    Layer.provideMerge(
      Layer.mergeAll(
        SettingsLive,
        StreamCredentialsLive,
        ApiKeysRepoLive,
        RateBudgetRepoLive,
        AdminTokenLive,
        CallsRepoLive,
        ScheduledCallsRepoLive,
        SmsRepoLive,
        WhatsAppRepoLive,
        IdempotencyRepoLive,
        CampaignsRepoLive,
        DialerStoreLive,
        AgentsRepoLive,
        CqaSettingsLive,
        CqaResultsRepoLive,
        TrafficStatsRepoLive,
        StatsSeriesRepoLive,
        CallAudioRepoLive,
        ScriptedCallsRepoLive,
        ExotelRequestsRepoLive,
        // Built before the campaign runners and the dispatcher, which are its singletons, so that on shutdown
        // they stop first and then this runner hands its shards over (its scope closes after theirs).
        ClusterLive,
      ),
    ),
    // The secret key is stretched while the database opens: neither needs the other.
    Layer.provideMerge(Layer.merge(StoreLive(target), SecretBoxLive)),
  )

/**
 * The services a backend calls in code; the HTTP API's handlers call the same. The scheduled-call dispatcher
 * starts with them (its bell wakes it when a call is stored): the calls it places report back to URLs only the
 * server serves, so this needs the HttpServer.
 */
export const LibraryServicesLive = Layer.mergeAll(
  VoiceFlowsLive,
  CallsLive,
  MessagingLive,
  ScheduledCallsLive,
  CampaignsLive,
).pipe(Layer.provideMerge(ScheduledCallDispatcherLive), Layer.provideMerge(CallbackUrlsLive))

/**
 * The routes, with the services their handlers call, and the voice-stream socket, served on the Node server
 * provided (NodeServerLive).
 */
export const ServeRoutesLive = Layer.mergeAll(
  HttpLayerRouter.serve(RoutesLive, { disableLogger: true, disableListenLog: true }),
  VoiceStreamServerLive,
  HandshakeLimitLive,
  UnsizedBodyCapLive,
).pipe(Layer.provideMerge(Layer.merge(LibraryServicesLive, InboundLimiterLive)))

/** The HTTP server on the environment's HOST and PORT (kept in the output: callback URLs need its address). */
export const HttpServerLive = Layer.unwrapEffect(
  Effect.map(GatewayEnv, (env) =>
    ServeRoutesLive.pipe(
      Layer.provideMerge(
        NodeServerLive({ port: env.port, host: env.host }, Duration.seconds(env.shutdownGraceSeconds)),
      ),
    ),
  ),
)

export const GatewayLive = (target: DatabaseTarget) =>
  HttpServerLive.pipe(Layer.provideMerge(CoreLive(target)))
