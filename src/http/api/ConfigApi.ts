// Configuration: the Exotel account, timing, retry and feature flags, all kept in system_settings.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import {
  ConfigUpdate,
  ConfigView,
  FeatureToggle,
  RetryUpdate,
  StreamAuthUpdate,
  StreamAuthView,
  TimingUpdate,
} from "../../api/config.js"
import { BadRequest } from "../../domain/errors.js"
import { FeatureName, Features } from "../../domain/Features.js"
import { RetryConfig } from "../../domain/Retry.js"
import { TimingConfig } from "../../domain/Timing.js"
import { Guard, requires } from "../Authentication.js"

export const ConfigApi = HttpApiGroup.make("config")
  .add(
    HttpApiEndpoint.get("getConfig", "/config")
      .annotate(OpenApi.Summary, "Read the Exotel account settings")
      .addSuccess(ConfigView)
      .pipe(requires("admin")),
  )
  .add(
    HttpApiEndpoint.put("putConfig", "/config")
      .annotate(OpenApi.Summary, "Change the Exotel account settings")
      .setPayload(ConfigUpdate)
      .addSuccess(ConfigView)
      .pipe(requires("admin"))
      .annotate(OpenApi.Description, "Changes the Exotel account settings. Secrets are sealed at rest."),
  )
  .add(
    HttpApiEndpoint.get("getTiming", "/config/timing")
      .annotate(OpenApi.Summary, "Read the timing rules")
      .addSuccess(TimingConfig)
      .pipe(requires("viewer")),
  )
  .add(
    HttpApiEndpoint.put("putTiming", "/config/timing")
      .annotate(OpenApi.Summary, "Change the timing rules")
      .setPayload(TimingUpdate)
      .addSuccess(TimingConfig)
      .pipe(requires("admin")),
  )
  .add(
    HttpApiEndpoint.get("getRetry", "/config/retry")
      .annotate(OpenApi.Summary, "Read the retry policy")
      .addSuccess(RetryConfig)
      .pipe(requires("viewer")),
  )
  .add(
    HttpApiEndpoint.put("putRetry", "/config/retry")
      .annotate(OpenApi.Summary, "Change the retry policy")
      .setPayload(RetryUpdate)
      .addSuccess(RetryConfig)
      .addError(BadRequest)
      .pipe(requires("admin")),
  )
  .add(
    HttpApiEndpoint.get("getFeatures", "/config/features")
      .annotate(OpenApi.Summary, "List the feature flags")
      .addSuccess(Features)
      .pipe(requires("viewer")),
  )
  .add(
    HttpApiEndpoint.put("putFeature", "/config/features/:feature")
      .annotate(OpenApi.Summary, "Switch a feature on or off")
      .setPath(Schema.Struct({ feature: FeatureName }))
      .setPayload(FeatureToggle)
      .addSuccess(Features)
      .pipe(requires("admin")),
  )
  .add(
    HttpApiEndpoint.get("getStreamAuth", "/config/voice-stream")
      .annotate(OpenApi.Summary, "Read how Exotel's flows authenticate their voice streams")
      .addSuccess(StreamAuthView)
      .pipe(requires("admin")),
  )
  .add(
    HttpApiEndpoint.put("putStreamAuth", "/config/voice-stream")
      .annotate(OpenApi.Summary, "Change how Exotel's flows authenticate their voice streams")
      .setPayload(StreamAuthUpdate)
      .addSuccess(StreamAuthView)
      .pipe(requires("admin"))
      .annotate(
        OpenApi.Description,
        "How voice streams opened by an Exotel flow authenticate (wss://KEY:TOKEN@host/…, sent as Basic auth), " +
          "which addresses they may come from, and whether they may run vendor and rider flows. Sealed at rest.",
      ),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Configuration")
  .annotate(
    OpenApi.Description,
    "The Exotel account, timing rules (business hours, DND, promotional window), retry policy, " +
      "feature flags and the voice-stream credential, kept in the database. Credentials are write-only: sealed at rest and shown masked.",
  )
