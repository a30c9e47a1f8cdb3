// Configuration: the Exotel account, timing, retry and feature flags, all kept in system_settings.
// The request and response schemas; the endpoints are src/http/api/ConfigApi.ts.
import { Schema } from "effect"
import { ExoPhone } from "../domain/ExoPhone.js"
import { isRateLimitPerMinute } from "../domain/ExotelRateLimit.js"
import { Features } from "../domain/Features.js"
import { ServiceUrl } from "../domain/HttpUrl.js"
import { RetryConfig } from "../domain/Retry.js"
import { SmsSender } from "../domain/SmsSender.js"
import { TimingConfig } from "../domain/Timing.js"
import { StreamSource } from "../policy/stream/sourceAllowList.js"
import { UpstreamModeSchema } from "./health.js"

const all = { parseOptions: { errors: "all" } } as const

const Hostname = Schema.String.pipe(
  Schema.pattern(
    /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/,
    {
      message: (issue) =>
        `must be a host name such as "api.in.exotel.com", got ${JSON.stringify(issue.actual)}`,
    },
  ),
)

// Its one message overrides every other (such as "Expected string, actual …"), so a refusal never repeats
// what was sent.
const Credential = Schema.Redacted(
  Schema.String.pipe(Schema.filter((s) => s.trim().length > 0 && s.length <= 256)),
).annotations({ message: () => ({ message: "must be a string of 1 to 256 characters", override: true }) })

const Identifier = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_.-]{1,128}$/, {
    message: () => "must be 1 to 128 letters, digits, '_', '.' or '-'",
  }),
)

const exact = { exact: true } as const

const RateLimitPerMinute = Schema.Number.pipe(
  Schema.filter(isRateLimitPerMinute, {
    message: () => "must be 0 (no budget) or a whole number of requests a minute from 10 to 100000",
  }),
)

/**
 * The seed's PUT /config body; every field optional, secrets write-only. Exact: a field is absent or valid,
 * and a refusal has one issue per field, never a second "Expected undefined, actual <the value>".
 */
export const ConfigUpdate = Schema.Struct({
  serviceUrl: Schema.optionalWith(ServiceUrl, exact),
  apiKey: Schema.optionalWith(Credential, exact),
  apiToken: Schema.optionalWith(Credential, exact),
  accountSid: Schema.optionalWith(Identifier, exact),
  subdomain: Schema.optionalWith(Hostname, exact),
  defaultExoPhone: Schema.optionalWith(ExoPhone, exact),
  dltEntityId: Schema.optionalWith(Identifier, exact),
  smsSenderId: Schema.optionalWith(SmsSender, exact),
  rateLimitPerMinute: Schema.optionalWith(RateLimitPerMinute, exact),
}).annotations({ identifier: "ConfigUpdate", parseOptions: { errors: "all" } })

export const ConfigView = Schema.Struct({
  enabled: Schema.Boolean,
  upstream: UpstreamModeSchema,
  serviceUrl: Schema.NullOr(Schema.String),
  apiKey: Schema.NullOr(Schema.String).annotations({
    description: 'Masked: "****" and the last four characters',
  }),
  apiToken: Schema.NullOr(Schema.String).annotations({
    description: 'Masked: "****" and the last four characters',
  }),
  accountSid: Schema.NullOr(Schema.String),
  subdomain: Schema.String,
  defaultExoPhone: Schema.NullOr(Schema.String),
  dltEntityId: Schema.NullOr(Schema.String),
  smsSenderId: Schema.NullOr(Schema.String).annotations({
    description: "The SMS sender when a request names none; null: the default ExoPhone is used",
  }),
  rateLimitPerMinute: Schema.Number.annotations({
    description: "Requests a minute the gateway sends the Exotel account at most; 0: no budget",
  }),
  timing: TimingConfig,
  retry: RetryConfig,
  features: Features,
}).annotations({ identifier: "ConfigView" })

export const TimingUpdate = Schema.partialWith(TimingConfig, { exact: true }).annotations({
  identifier: "TimingUpdate",
  ...all,
})
export const RetryUpdate = Schema.partialWith(RetryConfig.from, { exact: true }).annotations({
  identifier: "RetryUpdate",
  ...all,
})
export const FeatureToggle = Schema.Struct({ enabled: Schema.Boolean }).annotations({
  identifier: "FeatureToggle",
  ...all,
})

// A credential, or null to remove it; like Credential, one message that never repeats what was sent.
const RemovableCredential = Schema.NullOr(Credential).annotations({
  message: () => ({ message: "must be null or a string of 1 to 256 characters", override: true }),
})

/** PUT /config/voice-stream: how Exotel's dashboard flows authenticate their streams; null removes a credential. */
export const StreamAuthUpdate = Schema.Struct({
  authKey: Schema.optionalWith(RemovableCredential, exact),
  authToken: Schema.optionalWith(RemovableCredential, exact),
  allowedSources: Schema.optionalWith(Schema.Array(StreamSource).pipe(Schema.maxItems(100)), exact),
  inboundFlowsEnabled: Schema.optionalWith(Schema.Boolean, exact),
}).annotations({ identifier: "StreamAuthUpdate", ...all })

export const StreamAuthView = Schema.Struct({
  authKey: Schema.NullOr(Schema.String).annotations({
    description: 'Masked: "****" and the last four characters',
  }),
  authToken: Schema.NullOr(Schema.String).annotations({
    description: 'Masked: "****" and the last four characters',
  }),
  allowedSources: Schema.Array(Schema.String),
  inboundFlowsEnabled: Schema.Boolean,
}).annotations({ identifier: "StreamAuthView" })
