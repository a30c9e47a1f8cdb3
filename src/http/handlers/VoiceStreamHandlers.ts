// POST /voice-stream/start: records the expectation, answers the URL the stream should dial, with its credential.
import { HttpApiBuilder } from "@effect/platform"
import { Effect, Schema } from "effect"
import { CallbackUrls } from "../../config/callbackUrls.js"
import { Settings } from "../../config/Settings.js"
import { BadRequest, Conflict, Forbidden, ServiceUnavailable } from "../../domain/errors.js"
import { CallType } from "../../domain/VoiceCall.js"
import { StreamSessionsRepo } from "../../store/StreamSessionsRepo.js"
import { GatewayApi } from "../GatewayApi.js"

const isCallType = Schema.is(CallType)

export const VoiceStreamHandlersLive = HttpApiBuilder.group(GatewayApi, "voiceStream", (handlers) =>
  Effect.gen(function* () {
    const repo = yield* StreamSessionsRepo
    const urls = yield* CallbackUrls
    const settings = yield* Settings
    return handlers.handle("start", ({ payload }) =>
      Effect.gen(function* () {
        const current = yield* settings.current
        if (!current.features.voiceStreamingEnabled) {
          return yield* new ServiceUnavailable({
            message: "Voice streaming is switched off (voiceStreamingEnabled)",
          })
        }
        if (isCallType(payload.flow)) {
          if (!current.stream.inboundFlowsEnabled)
            return yield* new Forbidden({
              message: `A stream Exotel opens may not run ${payload.flow}: inbound stream flows are switched off (exotel-stream-inbound-flows-enabled)`,
            })
          if (payload.orderId === undefined)
            return yield* new BadRequest({
              message: `orderId is required for the ${payload.flow} flow`,
              field: "orderId",
            })
        }
        const registered = yield* repo.register({
          sessionId: payload.sessionId,
          phone: payload.phone,
          language: payload.language,
          flow: payload.flow,
          orderId: payload.orderId ?? null,
          orderSessionId: payload.orderSessionId ?? null,
        })
        if (!registered)
          return yield* new Conflict({ message: `Session ${payload.sessionId} is already registered` })
        return {
          sessionId: payload.sessionId,
          wsUrl: urls.voiceStream({ _tag: "Session", id: payload.sessionId }),
          status: "pending" as const,
        }
      }),
    )
  }),
)
