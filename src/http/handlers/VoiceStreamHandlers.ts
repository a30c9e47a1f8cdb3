// POST /voice-stream/start: records the expectation, answers the URL the stream should dial.
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { GatewayEnv } from "../../config/Env.js"
import { Settings } from "../../config/Settings.js"
import { Conflict, ServiceUnavailable } from "../../domain/errors.js"
import { StreamSessionsRepo } from "../../store/StreamSessionsRepo.js"
import { voiceStreamPath } from "../../stream/StreamBridge.js"
import { GatewayApi } from "../GatewayApi.js"

export const VoiceStreamHandlersLive = HttpApiBuilder.group(GatewayApi, "voiceStream", (handlers) =>
  Effect.gen(function* () {
    const repo = yield* StreamSessionsRepo
    const env = yield* GatewayEnv
    const settings = yield* Settings
    return handlers.handle("start", ({ payload }) =>
      Effect.gen(function* () {
        if (!(yield* settings.current).features.voiceStreamingEnabled) {
          return yield* new ServiceUnavailable({
            message: "Voice streaming is switched off (voiceStreamingEnabled)",
          })
        }
        const registered = yield* repo.register({
          sessionId: payload.sessionId,
          phone: payload.phone,
          language: payload.language,
          flow: payload.flow,
        })
        if (!registered)
          return yield* new Conflict({ message: `Session ${payload.sessionId} is already registered` })
        return {
          sessionId: payload.sessionId,
          wsUrl: `${env.publicBaseUrl.replace(/^http/, "ws")}${voiceStreamPath}?sessionId=${encodeURIComponent(payload.sessionId)}`,
          status: "pending" as const,
        }
      }),
    )
  }),
)
