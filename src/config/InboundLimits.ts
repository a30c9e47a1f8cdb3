// The limits on what comes in, read from the environment: request rates per role and per source address, the
// body size, and how deep a JSON body may nest. A rate is written `PER_SECOND/BURST` (`100/200`), or `off`.
import { Config, ConfigError, Context, Effect, Either, Layer, Option } from "effect"
import type { Role } from "../domain/Role.js"
import { type BucketRule, defaultBurst } from "../policy/tokenBucket.js"

export interface InboundLimitsShape {
  /** RATE_LIMIT_ADMIN, RATE_LIMIT_OPERATOR, RATE_LIMIT_VIEWER: each key's bucket, unless set on the key. */
  readonly perRole: Readonly<Record<Role, Option.Option<BucketRule>>>
  /** RATE_LIMIT_ADDRESS: each source address's bucket, for requests that no bearer token vouches for. */
  readonly perAddress: Option.Option<BucketRule>
  /** INBOUND_BODY_LIMIT_BYTES: the largest body an endpoint takes, unless it says otherwise (bodyLimits.ts). */
  readonly bodyLimitBytes: number
  /** INBOUND_JSON_DEPTH_LIMIT: how deep arrays and objects in a JSON body may nest. */
  readonly jsonDepthLimit: number
}

export class InboundLimits extends Context.Tag("InboundLimits")<InboundLimits, InboundLimitsShape>() {}

/** The largest default body limit the environment may set; the endpoints that need more say so (bodyLimits.ts). */
export const maxBodyLimitBytes = 32 * 1024 * 1024

export const defaultInboundLimits: InboundLimitsShape = {
  perRole: {
    // Generous: the admin token is the operator's own, and tests and scripts hammer the API with it.
    admin: Option.some({ perSecond: 2000, burst: 4000 }),
    operator: Option.some({ perSecond: 100, burst: 200 }),
    viewer: Option.some({ perSecond: 20, burst: 40 }),
  },
  // Exotel's status callbacks come from a few addresses: this is sized for a busy campaign's callbacks.
  perAddress: Option.some({ perSecond: 100, burst: 200 }),
  bodyLimitBytes: 1024 * 1024,
  jsonDepthLimit: 64,
}

const ratePattern = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(\d+)\s*)?$/

/** `100/200` (100 a second, bursts of 200), `100` (bursts of twice the rate) or `off`; undefined if unreadable. */
export const parseRate = (text: string): Option.Option<BucketRule> | undefined => {
  if (text.trim().toLowerCase() === "off") return Option.none()
  const match = ratePattern.exec(text)
  if (match === null) return undefined
  const perSecond = Number(match[1])
  const burst = match[2] === undefined ? defaultBurst(perSecond) : Number(match[2])
  return perSecond > 0 && perSecond <= 1_000_000 && burst >= 1 && burst <= 10_000_000
    ? Option.some({ perSecond, burst })
    : undefined
}

const rate = (name: string, fallback: Option.Option<BucketRule>) =>
  Config.string(name).pipe(
    Config.mapOrFail((text) => {
      const parsed = parseRate(text)
      return parsed === undefined
        ? Either.left(
            ConfigError.InvalidData([name], `must be PER_SECOND/BURST (such as 100/200) or off, got ${text}`),
          )
        : Either.right(parsed)
    }),
    Config.withDefault(fallback),
  )

export const inboundLimitsConfig = Config.all({
  admin: rate("RATE_LIMIT_ADMIN", defaultInboundLimits.perRole.admin),
  operator: rate("RATE_LIMIT_OPERATOR", defaultInboundLimits.perRole.operator),
  viewer: rate("RATE_LIMIT_VIEWER", defaultInboundLimits.perRole.viewer),
  perAddress: rate("RATE_LIMIT_ADDRESS", defaultInboundLimits.perAddress),
  bodyLimitBytes: Config.integer("INBOUND_BODY_LIMIT_BYTES").pipe(
    Config.validate({
      message: `must be between 1024 and ${maxBodyLimitBytes}`,
      validation: (n) => n >= 1024 && n <= maxBodyLimitBytes,
    }),
    Config.withDefault(defaultInboundLimits.bodyLimitBytes),
  ),
  jsonDepthLimit: Config.integer("INBOUND_JSON_DEPTH_LIMIT").pipe(
    Config.validate({ message: "must be between 2 and 512", validation: (n) => n >= 2 && n <= 512 }),
    Config.withDefault(defaultInboundLimits.jsonDepthLimit),
  ),
}).pipe(
  Config.map(
    ({ admin, operator, viewer, ...rest }): InboundLimitsShape => ({
      perRole: { admin, operator, viewer },
      ...rest,
    }),
  ),
)

/** Builds limits for tests and embedders: the defaults, then the given overrides. */
export const makeInboundLimits = (overrides: Partial<InboundLimitsShape> = {}): InboundLimitsShape => ({
  ...defaultInboundLimits,
  ...overrides,
})

/** Every request rate off (body and nesting limits as by default): for tests and benchmarks of other things. */
export const withoutRateLimits: InboundLimitsShape = makeInboundLimits({
  perRole: { admin: Option.none(), operator: Option.none(), viewer: Option.none() },
  perAddress: Option.none(),
})

/** The limits a caller provided, else those of the environment. */
export const InboundLimitsLive = Layer.unwrapEffect(
  Effect.map(Effect.serviceOption(InboundLimits), (given) =>
    Option.match(given, {
      onNone: () => Layer.effect(InboundLimits, Effect.orDie(inboundLimitsConfig)),
      onSome: (limits) => Layer.succeed(InboundLimits, limits),
    }),
  ),
)
