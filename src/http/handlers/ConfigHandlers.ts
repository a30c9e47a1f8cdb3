// The configuration endpoints: read and change settings; every change is in effect for the next request.
import { HttpApiBuilder } from "@effect/platform"
import { Effect, Option, ParseResult, Redacted, Schema } from "effect"
import { Settings } from "../../config/Settings.js"
import { type GatewaySettings, upstreamMode } from "../../config/settingsCatalog.js"
import { BadRequest } from "../../domain/errors.js"
import { RetryConfig } from "../../domain/Retry.js"
import { GatewayApi } from "../GatewayApi.js"
import { describeIssues } from "../requestMiddleware.js"

/** "****" and the last four characters: enough to tell two keys apart, too little to use one. */
export const maskSecret = (secret: Redacted.Redacted): string => {
  const value = Redacted.value(secret)
  return `****${value.length > 8 ? value.slice(-4) : ""}`
}

export const configView = (settings: GatewaySettings) => ({
  enabled: settings.enabled,
  upstream: upstreamMode(settings.exotel),
  serviceUrl: Option.getOrNull(settings.exotel.serviceUrl),
  apiKey: Option.getOrNull(Option.map(settings.exotel.apiKey, maskSecret)),
  apiToken: Option.getOrNull(Option.map(settings.exotel.apiToken, maskSecret)),
  accountSid: Option.getOrNull(settings.exotel.accountSid),
  subdomain: settings.exotel.subdomain,
  defaultExoPhone: Option.getOrNull(settings.exotel.defaultExoPhone),
  dltEntityId: Option.getOrNull(settings.exotel.dltEntityId),
  smsSenderId: Option.getOrNull(settings.exotel.smsSenderId),
  rateLimitPerMinute: settings.exotel.rateLimitPerMinute,
  timing: settings.timing,
  retry: settings.retry,
  features: settings.features,
})

const streamAuthView = (settings: GatewaySettings) => ({
  authKey: Option.getOrNull(Option.map(settings.stream.authKey, maskSecret)),
  authToken: Option.getOrNull(Option.map(settings.stream.authToken, maskSecret)),
  allowedSources: settings.stream.allowedSources,
  inboundFlowsEnabled: settings.stream.inboundFlowsEnabled,
})

const validRetry = Schema.decodeUnknown(RetryConfig, { errors: "all" })

export const ConfigHandlersLive = HttpApiBuilder.group(GatewayApi, "config", (handlers) =>
  Effect.gen(function* () {
    const settings = yield* Settings
    return handlers
      .handle("getConfig", () => Effect.map(settings.current, configView))
      .handle("putConfig", ({ payload }) => Effect.map(settings.updateAccount(payload), configView))
      .handle("getTiming", () => Effect.map(settings.current, (s) => s.timing))
      .handle("putTiming", ({ payload }) =>
        Effect.gen(function* () {
          const current = yield* settings.current
          const updated = yield* settings.updateTiming({ ...current.timing, ...payload })
          return updated.timing
        }),
      )
      .handle("getRetry", () => Effect.map(settings.current, (s) => s.retry))
      .handle("putRetry", ({ payload }) =>
        Effect.gen(function* () {
          const current = yield* settings.current
          // Each field was checked on the way in; the rules across fields hold only for the merged whole.
          const merged = yield* validRetry({ ...current.retry, ...payload }).pipe(
            Effect.catchTag("ParseError", (error) => {
              const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
              return Effect.fail(
                new BadRequest({
                  message: describeIssues(issues),
                  field: issues[0]?.path.map(String).join("."),
                }),
              )
            }),
          )
          const updated = yield* settings.updateRetry(merged)
          return updated.retry
        }),
      )
      .handle("getFeatures", () => Effect.map(settings.current, (s) => s.features))
      .handle("putFeature", ({ path, payload }) => settings.setFeature(path.feature, payload.enabled))
      .handle("getStreamAuth", () => Effect.map(settings.current, streamAuthView))
      .handle("putStreamAuth", ({ payload }) =>
        Effect.map(settings.updateStreamAuth(payload), streamAuthView),
      )
  }),
)
