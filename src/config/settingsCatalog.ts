// The seed's system_settings keys (category "exotel"), how each value is written as text, and the typed
// settings they make. Pure: rows in, settings out, and back.
import { Option, Redacted, Schema } from "effect"
import { defaultRateLimitPerMinute, isRateLimitPerMinute } from "../domain/ExotelRateLimit.js"
import { defaultFeatures, type FeatureName, Features } from "../domain/Features.js"
import { defaultRetryConfig, RetryConfig } from "../domain/Retry.js"
import { defaultTimingConfig, TimingConfig } from "../domain/Timing.js"
import { StreamSource } from "../policy/stream/sourceAllowList.js"

export const settingsCategory = "exotel"

export interface ExotelAccount {
  readonly serviceUrl: Option.Option<string>
  readonly apiKey: Option.Option<Redacted.Redacted>
  readonly apiToken: Option.Option<Redacted.Redacted>
  readonly accountSid: Option.Option<string>
  readonly subdomain: string
  readonly defaultExoPhone: Option.Option<string>
  readonly dltEntityId: Option.Option<string>
  /** The SMS sender (a DLT header) used when a request names none; else the default ExoPhone. */
  readonly smsSenderId: Option.Option<string>
  /** Requests a minute the account may make (Exotel's is 200); the gateway's rate budget keeps under it. 0: none. */
  readonly rateLimitPerMinute: number
}

/** How voice streams opened by an Exotel flow prove themselves, and what they may do (docs/security.md). */
export interface StreamAuthSettings {
  /** The Basic credential of the Voicebot applet's wss://KEY:TOKEN@host/… URL; either unset: none is let in. */
  readonly authKey: Option.Option<Redacted.Redacted>
  readonly authToken: Option.Option<Redacted.Redacted>
  /** Peer addresses or CIDR subnets a stream may come from; empty: any. */
  readonly allowedSources: ReadonlyArray<string>
  /** Whether a flow-opened stream may run a vendor or rider flow (for an order its expectation names). */
  readonly inboundFlowsEnabled: boolean
}

export interface GatewaySettings {
  readonly enabled: boolean
  readonly exotel: ExotelAccount
  readonly timing: TimingConfig
  readonly retry: RetryConfig
  readonly features: Features
  readonly stream: StreamAuthSettings
}

export type UpstreamMode = "simulator" | "exotel"

/** Exotel is used only when a full set of credentials is configured; otherwise the built-in simulator. */
export const upstreamMode = (account: ExotelAccount): UpstreamMode =>
  Option.isSome(account.apiKey) && Option.isSome(account.apiToken) && Option.isSome(account.accountSid)
    ? "exotel"
    : "simulator"

export const defaultSubdomain = "api.in.exotel.com"

const rateLimitOf = (rows: ReadonlyMap<string, string>): { value: number; unreadable: boolean } => {
  const raw = rows.get(accountKeys.rateLimitPerMinute)
  if (raw === undefined || raw.trim() === "") return { value: defaultRateLimitPerMinute, unreadable: false }
  const n = Number(raw)
  return isRateLimitPerMinute(n)
    ? { value: n, unreadable: false }
    : { value: defaultRateLimitPerMinute, unreadable: true }
}

export const accountKeys = {
  serviceUrl: "exotel-service-url",
  apiKey: "exotel-api-key",
  apiToken: "exotel-api-token",
  accountSid: "exotel-account-sid",
  subdomain: "exotel-subdomain",
  defaultExoPhone: "exotel-default-exophone",
  dltEntityId: "exotel-dlt-entity-id",
  smsSenderId: "exotel-sms-sender-id",
  rateLimitPerMinute: "exotel-rate-limit-per-minute",
} as const satisfies Record<keyof ExotelAccount, string>

export const streamAuthKeys = {
  authKey: "exotel-stream-auth-key",
  authToken: "exotel-stream-auth-token",
  allowedSources: "exotel-stream-allowed-sources",
  inboundFlowsEnabled: "exotel-stream-inbound-flows-enabled",
} as const satisfies Record<keyof StreamAuthSettings, string>

/**
 * The API key and token are credentials and are sealed at rest, and so is the stream credential (an operator may
 * well give the applet the account's own key and token, as Exotel's documentation does). The DLT entity id is
 * not: it is printed on the operators' DLT portals and in every SMS submission, and knowing it lets nobody send
 * anything.
 */
export const secretKeys: ReadonlySet<string> = new Set([
  accountKeys.apiKey,
  accountKeys.apiToken,
  streamAuthKeys.authKey,
  streamAuthKeys.authToken,
])

const StreamPolicy = Schema.Struct({
  allowedSources: Schema.Array(StreamSource),
  inboundFlowsEnabled: Schema.Boolean,
})
type StreamPolicy = typeof StreamPolicy.Type
const defaultStreamPolicy: StreamPolicy = { allowedSources: [], inboundFlowsEnabled: false }
const streamPolicyKeys = {
  allowedSources: streamAuthKeys.allowedSources,
  inboundFlowsEnabled: streamAuthKeys.inboundFlowsEnabled,
} as const

export const enabledKey = "exotel-enabled"

export const timingKeys = {
  businessHoursStart: "exotel-business-hours-start",
  businessHoursEnd: "exotel-business-hours-end",
  dndStart: "exotel-dnd-start",
  dndEnd: "exotel-dnd-end",
  promoSmsStart: "exotel-promo-sms-start",
  promoSmsEnd: "exotel-promo-sms-end",
  timezone: "exotel-timezone",
  weekendCallsAllowed: "exotel-weekend-calls-allowed",
  holidays: "exotel-holidays",
} as const satisfies Record<keyof TimingConfig, string>

export const retryKeys = {
  maxAttempts: "exotel-retry-max-attempts",
  initialDelaySeconds: "exotel-retry-initial-delay",
  backoffMultiplier: "exotel-retry-backoff-multiplier",
  maxDelaySeconds: "exotel-retry-max-delay",
  retryOnBusy: "exotel-retry-on-busy",
  retryOnNoAnswer: "exotel-retry-on-no-answer",
  retryOnNetworkError: "exotel-retry-on-network-error",
  jitter: "exotel-retry-jitter",
} as const satisfies Record<keyof RetryConfig, string>

export const featureKeys = {
  verifiedCallsEnabled: "exotel-verified-calls-enabled",
  numberMaskingEnabled: "exotel-number-masking-enabled",
  voiceStreamingEnabled: "exotel-voice-streaming-enabled",
  autoDialerEnabled: "exotel-auto-dialer-enabled",
  cqaEnabled: "exotel-cqa-enabled",
} as const satisfies Record<FeatureName, string>

/** A stored value: strings as they are (as the old system kept them), everything else as JSON. */
export const encodeValue = (value: string | number | boolean | ReadonlyArray<string>): string =>
  typeof value === "string" ? value : JSON.stringify(value)

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Reads one section from the rows; a missing or unreadable value falls back to its default. */
const decodeSection = <A extends Record<string, unknown>>(
  schema: Schema.Schema<A, A>,
  fields: Record<keyof A & string, Schema.Schema.AnyNoContext>,
  keys: Record<keyof A & string, string>,
  defaults: A,
  rows: ReadonlyMap<string, string>,
): { readonly value: A; readonly unreadable: ReadonlyArray<string> } => {
  const candidate: Record<string, unknown> = { ...defaults }
  const unreadable: Array<string> = []
  for (const field of Object.keys(keys) as Array<keyof A & string>) {
    const raw = rows.get(keys[field])
    if (raw === undefined) continue
    const fieldValue = typeof defaults[field] === "string" ? raw : parseJson(raw)
    if (Schema.is(fields[field])(fieldValue)) candidate[field] = fieldValue
    else unreadable.push(keys[field])
  }
  // Fields valid one by one can still break a rule across fields; then the whole section falls back.
  if (Schema.is(schema)(candidate)) return { value: candidate, unreadable }
  return { value: defaults, unreadable: [...unreadable, ...Object.values<string>(keys)] }
}

export const encodeSection = <A extends Record<string, string | number | boolean | ReadonlyArray<string>>>(
  keys: Record<keyof A & string, string>,
  patch: Partial<A>,
): Array<readonly [key: string, value: string]> =>
  (Object.keys(keys) as Array<keyof A & string>).flatMap((field) => {
    const value = patch[field]
    return value === undefined ? [] : [[keys[field], encodeValue(value)] as const]
  })

const optionalText = (rows: ReadonlyMap<string, string>, key: string) =>
  Option.fromNullable(rows.get(key)).pipe(Option.filter((s) => s.length > 0))

/** Rows (secrets already opened) to typed settings, and the keys whose stored values could not be read. */
export const settingsFromRows = (
  rows: ReadonlyMap<string, string>,
): { readonly settings: GatewaySettings; readonly unreadable: ReadonlyArray<string> } => {
  const timing = decodeSection(TimingConfig, TimingConfig.fields, timingKeys, defaultTimingConfig, rows)
  const retry = decodeSection(RetryConfig, RetryConfig.from.fields, retryKeys, defaultRetryConfig, rows)
  const features = decodeSection(Features, Features.fields, featureKeys, defaultFeatures, rows)
  const stream = decodeSection(StreamPolicy, StreamPolicy.fields, streamPolicyKeys, defaultStreamPolicy, rows)
  const enabled = rows.get(enabledKey) !== "false"
  const rateLimit = rateLimitOf(rows)
  return {
    settings: {
      enabled,
      exotel: {
        serviceUrl: optionalText(rows, accountKeys.serviceUrl),
        apiKey: Option.map(optionalText(rows, accountKeys.apiKey), Redacted.make),
        apiToken: Option.map(optionalText(rows, accountKeys.apiToken), Redacted.make),
        accountSid: optionalText(rows, accountKeys.accountSid),
        subdomain: Option.getOrElse(optionalText(rows, accountKeys.subdomain), () => defaultSubdomain),
        defaultExoPhone: optionalText(rows, accountKeys.defaultExoPhone),
        dltEntityId: optionalText(rows, accountKeys.dltEntityId),
        smsSenderId: optionalText(rows, accountKeys.smsSenderId),
        rateLimitPerMinute: rateLimit.value,
      },
      timing: timing.value,
      retry: retry.value,
      features: features.value,
      stream: {
        authKey: Option.map(optionalText(rows, streamAuthKeys.authKey), Redacted.make),
        authToken: Option.map(optionalText(rows, streamAuthKeys.authToken), Redacted.make),
        ...stream.value,
      },
    },
    unreadable: [
      ...timing.unreadable,
      ...retry.unreadable,
      ...features.unreadable,
      ...stream.unreadable,
      ...(rateLimit.unreadable ? [accountKeys.rateLimitPerMinute] : []),
    ],
  }
}

/** Where the upstream client sends requests: the configured service URL, else Exotel's own host when in Exotel mode. */
export const upstreamBaseUrl = (account: ExotelAccount): Option.Option<string> =>
  Option.orElse(account.serviceUrl, () =>
    upstreamMode(account) === "exotel" ? Option.some(`https://${account.subdomain}`) : Option.none(),
  )
