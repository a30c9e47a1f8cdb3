// Every route the gateway serves: the HttpApi, its OpenAPI document and Swagger UI, the console, wrapped in the
// request middleware.
import { HttpLayerRouter } from "@effect/platform"
import { Layer } from "effect"
import { CallbackUrlsLive } from "../config/callbackUrls.js"
import { guardLayer, requiredRoles } from "./Authentication.js"
import { ConsoleRoutes } from "./consoleRoutes.js"
import { DocsRoutes } from "./docs.js"
import { GatewayApi } from "./GatewayApi.js"
import { AgentsHandlersLive } from "./handlers/AgentsHandlers.js"
import { ApiKeysHandlersLive } from "./handlers/ApiKeysHandlers.js"
import { CallsHandlersLive } from "./handlers/CallsHandlers.js"
import { CampaignsHandlersLive } from "./handlers/CampaignsHandlers.js"
import { ConfigHandlersLive } from "./handlers/ConfigHandlers.js"
import { ConsoleHandlersLive } from "./handlers/ConsoleHandlers.js"
import { CqaHandlersLive } from "./handlers/CqaHandlers.js"
import { HealthHandlersLive } from "./handlers/HealthHandlers.js"
import { MaskingHandlersLive } from "./handlers/MaskingHandlers.js"
import { MessagingHandlersLive } from "./handlers/MessagingHandlers.js"
import { NerveCallbackHandlersLive } from "./handlers/NerveCallbackHandlers.js"
import { NerveHandlersLive } from "./handlers/NerveHandlers.js"
import { PromptsHandlersLive } from "./handlers/PromptsHandlers.js"
import { ScheduledCallsHandlersLive } from "./handlers/ScheduledCallsHandlers.js"
import { StatsSeriesHandlersLive } from "./handlers/StatsSeriesHandlers.js"
import { SystemHandlersLive } from "./handlers/SystemHandlers.js"
import { TemplatesHandlersLive } from "./handlers/TemplatesHandlers.js"
import { TimingHandlersLive } from "./handlers/TimingHandlers.js"
import { TrafficStatsHandlersLive } from "./handlers/TrafficStatsHandlers.js"
import { VoiceOrderingHandlersLive } from "./handlers/VoiceOrderingHandlers.js"
import { VoiceStreamHandlersLive } from "./handlers/VoiceStreamHandlers.js"
import { WebhooksHandlersLive } from "./handlers/WebhooksHandlers.js"
import { InboundChecksLive } from "./inboundChecks.js"
import { RequestMiddlewareLive, RouteLabelLive } from "./requestMiddleware.js"

// The guard is needed both by the groups that declare it and by the router that runs it.
const Handlers = Layer.mergeAll(
  HealthHandlersLive,
  SystemHandlersLive,
  ConfigHandlersLive,
  TimingHandlersLive,
  ApiKeysHandlersLive,
  CallsHandlersLive,
  ScheduledCallsHandlersLive,
  CampaignsHandlersLive,
  AgentsHandlersLive,
  MaskingHandlersLive,
  MessagingHandlersLive,
  TemplatesHandlersLive,
  WebhooksHandlersLive,
  NerveHandlersLive,
  NerveCallbackHandlersLive,
  VoiceStreamHandlersLive,
  VoiceOrderingHandlersLive,
  PromptsHandlersLive,
  CqaHandlersLive,
  TrafficStatsHandlersLive,
  StatsSeriesHandlersLive,
  ConsoleHandlersLive,
).pipe(Layer.provide(CallbackUrlsLive), Layer.provideMerge(guardLayer(requiredRoles(GatewayApi))))

const ApiRoutes = HttpLayerRouter.addHttpApi(GatewayApi).pipe(Layer.provide(Handlers))

export const RoutesLive = Layer.mergeAll(ApiRoutes, DocsRoutes, ConsoleRoutes).pipe(
  Layer.provide(RouteLabelLive.layer),
  Layer.provide(InboundChecksLive.layer),
  Layer.provide(RequestMiddlewareLive),
)
