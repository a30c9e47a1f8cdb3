// The whole HTTP contract of the gateway, under /api/exotel.
import { HttpApi, OpenApi } from "@effect/platform"
import { AgentsApi } from "./api/AgentsApi.js"
import { ApiKeysApi } from "./api/ApiKeysApi.js"
import { CallsApi } from "./api/CallsApi.js"
import { CampaignsApi } from "./api/CampaignsApi.js"
import { ConfigApi } from "./api/ConfigApi.js"
import { ConsoleApi } from "./api/ConsoleApi.js"
import { CqaApi } from "./api/CqaApi.js"
import { HealthApi } from "./api/HealthApi.js"
import { MaskingApi } from "./api/MaskingApi.js"
import { MessagingApi } from "./api/MessagingApi.js"
import { NerveApi, NerveCallbacksApi } from "./api/NerveApi.js"
import { PromptsApi } from "./api/PromptsApi.js"
import { ScheduledCallsApi } from "./api/ScheduledCallsApi.js"
import { StatsSeriesApi } from "./api/StatsSeriesApi.js"
import { SystemApi } from "./api/SystemApi.js"
import { TemplatesApi } from "./api/TemplatesApi.js"
import { TimingApi } from "./api/TimingApi.js"
import { TrafficStatsApi } from "./api/TrafficStatsApi.js"
import { VoiceOrderingApi } from "./api/VoiceOrderingApi.js"
import { VoiceStreamApi } from "./api/VoiceStreamApi.js"
import { WebhooksApi } from "./api/WebhooksApi.js"
import { servedUnder } from "./openApiServer.js"

/** Where every endpoint of the API is served. */
export const basePath = "/api/exotel"

export class GatewayApi extends HttpApi.make("exotel-voice-gateway")
  .add(HealthApi)
  .add(SystemApi)
  .add(ConfigApi)
  .add(TimingApi)
  .add(ApiKeysApi)
  .add(CallsApi)
  .add(ScheduledCallsApi)
  .add(CampaignsApi)
  .add(AgentsApi)
  .add(MaskingApi)
  .add(MessagingApi)
  .add(TemplatesApi)
  .add(WebhooksApi)
  .add(NerveApi)
  .add(NerveCallbacksApi)
  .add(VoiceStreamApi)
  .add(VoiceOrderingApi)
  .add(PromptsApi)
  .add(CqaApi)
  .add(TrafficStatsApi)
  .add(StatsSeriesApi)
  .add(ConsoleApi)
  .prefix(basePath)
  .annotate(OpenApi.Title, "Exotel voice gateway")
  .annotate(
    OpenApi.Description,
    "Calls, masked numbers, verified calls, SMS, WhatsApp, campaigns, scheduled calls and AI voice calls " +
      "over Exotel. Every endpoint but /health and the inbound webhooks needs a bearer token; each says its role.",
  )
  .annotate(OpenApi.Transform, servedUnder(basePath)) {}
