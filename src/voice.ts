// How the live-call layers fit together: sessions, their registry, speech, events, the outbox, and the way
// calls are placed (through Nerve when NERVE_SYSTEM_URL is set, else through Exotel with our stream URL).
import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer, Option } from "effect"
import { CallPlacerExotel } from "./actors/CallPlacer.js"
import { CallRegistryLive } from "./actors/CallRegistry.js"
import { DomainEventsLive } from "./actors/DomainEvents.js"
import { staticOrderLines } from "./actors/orderPrompts.js"
import { staticPrompts } from "./actors/prompts.js"
import { recordablePrompts } from "./actors/recordablePrompts.js"
import { staticScriptedLines } from "./actors/scriptedCallFlow.js"
import { VoiceCallActivityLive } from "./actors/VoiceCallActivity.js"
import { voiceCallReconcilerLayer } from "./actors/VoiceCallReconciler.js"
import { VoiceCallsLive } from "./actors/VoiceCalls.js"
import { VoiceOrdersLive } from "./actors/VoiceOrders.js"
import { WebhookOutboxLive } from "./actors/WebhookOutbox.js"
import { GatewayEnv } from "./config/Env.js"
import { VoiceConfig, VoiceConfigLive } from "./config/VoiceConfig.js"
import { RecordedPromptsRepoLive } from "./store/RecordedPromptsRepo.js"
import { StreamSessionsRepoLive } from "./store/StreamSessionsRepo.js"
import { voiceCallsRepoLayer } from "./store/VoiceCallsRepo.js"
import { voiceOrdersRepoLayer } from "./store/VoiceOrdersRepo.js"
import { RecordedPromptsLive, withRecordedPrompts } from "./stream/speech/RecordedPrompts.js"
import { SpeechRecognitionLive } from "./stream/speech/SpeechRecognition.js"
import { textToSpeechLive } from "./stream/speech/TextToSpeech.js"
import { nerveClientLayer } from "./upstream/nerve/NerveClient.js"

const NerveLive = Layer.unwrapEffect(
  Effect.map(GatewayEnv, (env) =>
    Option.match(env.nerveSystemUrl, { onNone: () => Layer.empty, onSome: nerveClientLayer }),
  ),
)

const RepoLive = Layer.unwrapEffect(
  Effect.map(VoiceConfig, (config) =>
    Layer.merge(voiceCallsRepoLayer(config.webhookUrls), voiceOrdersRepoLayer(config.webhookUrls)),
  ),
)

/** Recordings first, then the engine: TTS_URL's, eSpeak NG, or tones; the static prompts kept rendered. */
const SpeechLive = withRecordedPrompts(recordablePrompts()).pipe(
  Layer.provide(textToSpeechLive([...staticPrompts(), ...staticOrderLines(), ...staticScriptedLines()])),
  Layer.provideMerge(RecordedPromptsLive.pipe(Layer.provide(RecordedPromptsRepoLive))),
)

/** Needs the SqlClient, Settings and GatewayEnv; VoiceConfig is read from the environment unless provided. */
export const VoiceServicesLive = voiceCallReconcilerLayer().pipe(
  Layer.provideMerge(VoiceCallsLive),
  Layer.provideMerge(VoiceOrdersLive),
  Layer.provideMerge(
    Layer.mergeAll(
      CallRegistryLive,
      DomainEventsLive,
      VoiceCallActivityLive,
      WebhookOutboxLive,
      CallPlacerExotel,
      NerveLive,
      RepoLive,
      StreamSessionsRepoLive,
      SpeechLive,
      SpeechRecognitionLive,
    ),
  ),
  Layer.provide(FetchHttpClient.layer),
)

export const VoiceLive = Layer.unwrapEffect(
  Effect.map(Effect.serviceOption(VoiceConfig), (given) =>
    Option.match(given, {
      onNone: () => VoiceServicesLive.pipe(Layer.provideMerge(VoiceConfigLive)),
      onSome: (config) => VoiceServicesLive.pipe(Layer.provideMerge(Layer.succeed(VoiceConfig, config))),
    }),
  ),
)
