// Configuration: the Exotel account, timing, retry and feature flags, all kept in system_settings.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { ExoPhone } from "../../domain/ExoPhone.js"
import { BadRequest } from "../../domain/errors.js"
import { FeatureName, Features } from "../../domain/Features.js"
import { HttpUrl } from "../../domain/HttpUrl.js"
import { RetryConfig } from "../../domain/Retry.js"
import { SmsSender } from "../../domain/SmsSender.js"
import { TimingConfig } from "../../domain/Timing.js"
import { Guard, requires } from "../Authentication.js"
import { UpstreamModeSchema } from "./HealthApi.js"

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

const Credential = Schema.Redacted(
  Schema.String.pipe(
    Schema.filter((s) => s.trim().length > 0 && s.length <= 256, {
      message: () => "must be 1 to 256 characters",
    }),
  ),
)

const Identifier = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_.-]{1,128}$/, {
    message: () => "must be 1 to 128 letters, digits, '_', '.' or '-'",
  }),
)

/** The seed's PUT /config body; every field optional, secrets write-only. */
export const ConfigUpdate = Schema.Struct({
  serviceUrl: Schema.optional(HttpUrl),
  apiKey: Schema.optional(Credential),
  apiToken: Schema.optional(Credential),
  accountSid: Schema.optional(Identifier),
  subdomain: Schema.optional(Hostname),
  defaultExoPhone: Schema.optional(ExoPhone),
  dltEntityId: Schema.optional(Identifier),
  smsSenderId: Schema.optional(SmsSender),
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

export const ConfigApi = HttpApiGroup.make("config")
  .add(HttpApiEndpoint.get("getConfig", "/config").addSuccess(ConfigView).pipe(requires("admin")))
  .add(
    HttpApiEndpoint.put("putConfig", "/config")
      .setPayload(ConfigUpdate)
      .addSuccess(ConfigView)
      .pipe(requires("admin"))
      .annotate(OpenApi.Description, "Changes the Exotel account settings. Secrets are sealed at rest."),
  )
  .add(HttpApiEndpoint.get("getTiming", "/config/timing").addSuccess(TimingConfig).pipe(requires("viewer")))
  .add(
    HttpApiEndpoint.put("putTiming", "/config/timing")
      .setPayload(TimingUpdate)
      .addSuccess(TimingConfig)
      .pipe(requires("admin")),
  )
  .add(HttpApiEndpoint.get("getRetry", "/config/retry").addSuccess(RetryConfig).pipe(requires("viewer")))
  .add(
    HttpApiEndpoint.put("putRetry", "/config/retry")
      .setPayload(RetryUpdate)
      .addSuccess(RetryConfig)
      .addError(BadRequest)
      .pipe(requires("admin")),
  )
  .add(HttpApiEndpoint.get("getFeatures", "/config/features").addSuccess(Features).pipe(requires("viewer")))
  .add(
    HttpApiEndpoint.put("putFeature", "/config/features/:feature")
      .setPath(Schema.Struct({ feature: FeatureName }))
      .setPayload(FeatureToggle)
      .addSuccess(Features)
      .pipe(requires("admin")),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Configuration")
