// The process environment, read once through Effect Config. Everything else asks this service.
import { Config, Context, Layer, Option, Redacted, Schema } from "effect"
import { isRateLimitPerMinute } from "../domain/ExotelRateLimit.js"
import { carriesCredentials } from "../domain/HttpUrl.js"
import { StreamSource } from "../policy/stream/sourceAllowList.js"

export interface GatewayEnvShape {
  readonly port: number
  readonly host: string
  readonly databaseUrl: Option.Option<Redacted.Redacted>
  readonly dataDir: string
  readonly exotelServiceUrl: Option.Option<string>
  readonly nerveSystemUrl: Option.Option<string>
  readonly exotelApiKey: Option.Option<Redacted.Redacted>
  readonly exotelApiToken: Option.Option<Redacted.Redacted>
  readonly exotelAccountSid: Option.Option<string>
  readonly exotelSubdomain: Option.Option<string>
  readonly defaultExoPhone: Option.Option<string>
  readonly dltEntityId: Option.Option<string>
  /** EXOTEL_STREAM_AUTH_KEY / _TOKEN / EXOTEL_STREAM_ALLOWLIST: seeds of the exotel-stream-* settings. */
  readonly streamAuthKey: Option.Option<Redacted.Redacted>
  readonly streamAuthToken: Option.Option<Redacted.Redacted>
  readonly streamAllowedSources: Option.Option<ReadonlyArray<string>>
  /** EXOTEL_SMS_SENDER_ID: the DLT header SMS go out from when a request names no sender. */
  readonly smsSenderId: Option.Option<string>
  /** EXOTEL_RATE_LIMIT_PER_MINUTE: seeds exotel-rate-limit-per-minute, the account's request budget. */
  readonly rateLimitPerMinute: Option.Option<number>
  /** EXOTEL_SIMULATOR_RATE_LIMIT_PER_MINUTE: the in-process simulator's account limit, Exotel's 200; 0: off. */
  readonly simulatorRateLimitPerMinute: number
  readonly adminToken: Option.Option<Redacted.Redacted>
  readonly secretKey: Option.Option<Redacted.Redacted>
  /** The URL at which Exotel and Nerve reach this gateway; every callback and stream URL is built from it. */
  readonly publicBaseUrl: string
  readonly logLevel: string
  /** How long requests in flight at shutdown may take before their connections are cut. */
  readonly shutdownGraceSeconds: number
  /** How long a scheduled call may stay claimed by a process before another presumes it dead and takes over. */
  readonly scheduledCallLeaseSeconds: number
  /** How long an in-progress scheduled call may go unheard before Exotel is asked about it. */
  readonly scheduledCallQuietSeconds: number
  /**
   * CLUSTER_RUNNER_HOST / CLUSTER_RUNNER_PORT / CLUSTER_SHARDS: this process as one runner of a cluster on a
   * PostgreSQL server (docs/cluster.md). None: the process is its own single runner.
   */
  readonly clusterRunner: Option.Option<ClusterRunner>
}

export interface ClusterRunner {
  /** The address other runners reach this one at: its own, not the gateway's HOST and PORT. */
  readonly host: string
  readonly port: number
  /** Shards per group; every runner of one cluster must say the same. */
  readonly shards: number
}

export class GatewayEnv extends Context.Tag("GatewayEnv")<GatewayEnv, GatewayEnvShape>() {}

const trimmed = (name: string) => Config.string(name).pipe(Config.map((s) => s.trim()))

const present = (config: Config.Config<string>) =>
  config.pipe(Config.option, Config.map(Option.filter((s) => s.length > 0)))

const nonEmpty = (name: string) => present(trimmed(name))

const nonEmptySecret = (name: string) =>
  Config.redacted(name).pipe(
    Config.option,
    Config.map(Option.filter((r) => Redacted.value(r).trim().length > 0)),
  )

// A URL is shown wherever its service is named; the credentials for it have variables of their own.
const withoutCredentials = (name: string, variables: string) => ({
  // Config.validate's error names no path, so the message does.
  message: `${name} must not carry user:password@; set ${variables} instead`,
  validation: (url: string) => !carriesCredentials(url),
})

const isStreamSource = Schema.is(StreamSource)

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, "")

export const envConfig = Config.all({
  port: Config.port("PORT").pipe(Config.withDefault(3000)),
  host: Config.string("HOST").pipe(Config.withDefault("127.0.0.1")),
  databaseUrl: nonEmptySecret("DATABASE_URL"),
  dataDir: Config.string("DATA_DIR").pipe(Config.withDefault("./data")),
  // The URL is shown wherever the upstream is named; the key and token have variables of their own.
  exotelServiceUrl: present(
    trimmed("EXOTEL_SERVICE_URL").pipe(
      Config.validate(withoutCredentials("EXOTEL_SERVICE_URL", "EXOTEL_API_KEY and EXOTEL_API_TOKEN")),
    ),
  ).pipe(Config.map(Option.map(withoutTrailingSlash))),
  nerveSystemUrl: nonEmpty("NERVE_SYSTEM_URL").pipe(Config.map(Option.map(withoutTrailingSlash))),
  exotelApiKey: nonEmptySecret("EXOTEL_API_KEY"),
  exotelApiToken: nonEmptySecret("EXOTEL_API_TOKEN"),
  exotelAccountSid: nonEmpty("EXOTEL_ACCOUNT_SID"),
  exotelSubdomain: nonEmpty("EXOTEL_SUBDOMAIN"),
  defaultExoPhone: nonEmpty("EXOTEL_DEFAULT_EXOPHONE"),
  dltEntityId: nonEmpty("EXOTEL_DLT_ENTITY_ID"),
  streamAuthKey: nonEmptySecret("EXOTEL_STREAM_AUTH_KEY"),
  streamAuthToken: nonEmptySecret("EXOTEL_STREAM_AUTH_TOKEN"),
  // A list that cannot be read stops the gateway: dropping an entry would open the door wider than meant.
  streamAllowedSources: Config.string("EXOTEL_STREAM_ALLOWLIST").pipe(
    Config.map((list) =>
      list
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    ),
    Config.validate({
      message:
        "EXOTEL_STREAM_ALLOWLIST must be comma-separated IP addresses or CIDR subnets, such as 203.0.113.0/24",
      validation: (list) => list.every(isStreamSource),
    }),
    Config.option,
    Config.map(Option.filter((list) => list.length > 0)),
  ),
  smsSenderId: nonEmpty("EXOTEL_SMS_SENDER_ID"),
  rateLimitPerMinute: Config.integer("EXOTEL_RATE_LIMIT_PER_MINUTE").pipe(
    Config.validate({
      message: "must be 0 (no budget) or between 10 and 100000 requests a minute",
      validation: isRateLimitPerMinute,
    }),
    Config.option,
  ),
  simulatorRateLimitPerMinute: Config.integer("EXOTEL_SIMULATOR_RATE_LIMIT_PER_MINUTE").pipe(
    Config.validate({ message: "must be 0 (off) or more", validation: (n) => n >= 0 }),
    Config.withDefault(200),
  ),
  adminToken: nonEmptySecret("GATEWAY_ADMIN_TOKEN"),
  secretKey: nonEmptySecret("GATEWAY_SECRET_KEY"),
  publicBaseUrl: nonEmpty("PUBLIC_BASE_URL").pipe(Config.map(Option.map(withoutTrailingSlash))),
  logLevel: Config.string("LOG_LEVEL").pipe(Config.withDefault("info")),
  shutdownGraceSeconds: Config.number("SHUTDOWN_GRACE_SECONDS").pipe(
    Config.validate({ message: "must be between 0 and 300", validation: (n) => n >= 0 && n <= 300 }),
    Config.withDefault(10),
  ),
  scheduledCallLeaseSeconds: Config.integer("SCHEDULED_CALL_LEASE_SECONDS").pipe(
    Config.validate({ message: "must be between 1 and 86400", validation: (n) => n >= 1 && n <= 86_400 }),
    Config.withDefault(120),
  ),
  scheduledCallQuietSeconds: Config.integer("SCHEDULED_CALL_QUIET_SECONDS").pipe(
    Config.validate({ message: "must be between 1 and 86400", validation: (n) => n >= 1 && n <= 86_400 }),
    Config.withDefault(600),
  ),
  clusterRunner: Config.all({
    host: nonEmpty("CLUSTER_RUNNER_HOST"),
    port: Config.port("CLUSTER_RUNNER_PORT").pipe(Config.option),
    shards: Config.integer("CLUSTER_SHARDS").pipe(
      Config.validate({ message: "must be between 1 and 10000", validation: (n) => n >= 1 && n <= 10_000 }),
      Config.withDefault(300),
    ),
  }).pipe(
    Config.validate({
      message: "CLUSTER_RUNNER_HOST and CLUSTER_RUNNER_PORT are set together, or neither",
      validation: ({ host, port }) => Option.isSome(host) === Option.isSome(port),
    }),
    Config.map(({ host, port, shards }) =>
      Option.all({ host, port }).pipe(Option.map((address): ClusterRunner => ({ ...address, shards }))),
    ),
  ),
}).pipe(
  // PGlite belongs to one process: runners on it would each hold their own database, not share one.
  Config.validate({
    message:
      "CLUSTER_RUNNER_HOST and CLUSTER_RUNNER_PORT need DATABASE_URL: an embedded database belongs to one process, so a cluster needs a PostgreSQL server",
    validation: (env) => Option.isNone(env.clusterRunner) || Option.isSome(env.databaseUrl),
  }),
  Config.map(
    (env): GatewayEnvShape => ({
      ...env,
      publicBaseUrl: Option.getOrElse(env.publicBaseUrl, () => `http://${hostForUrl(env.host)}:${env.port}`),
    }),
  ),
)

// An unspecified bind address cannot be dialled back; loopback is where a local peer finds us.
const hostForUrl = (host: string) => (host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host)

export const GatewayEnvLive = Layer.effect(GatewayEnv, envConfig)

/** Builds an environment for tests and embedders: defaults, then the given overrides. */
export const makeGatewayEnv = (overrides: Partial<GatewayEnvShape> = {}): GatewayEnvShape => {
  const base: GatewayEnvShape = {
    port: 0,
    host: "127.0.0.1",
    databaseUrl: Option.none(),
    dataDir: "./data",
    exotelServiceUrl: Option.none(),
    nerveSystemUrl: Option.none(),
    exotelApiKey: Option.none(),
    exotelApiToken: Option.none(),
    exotelAccountSid: Option.none(),
    exotelSubdomain: Option.none(),
    defaultExoPhone: Option.none(),
    dltEntityId: Option.none(),
    streamAuthKey: Option.none(),
    streamAuthToken: Option.none(),
    streamAllowedSources: Option.none(),
    smsSenderId: Option.none(),
    rateLimitPerMinute: Option.none(),
    simulatorRateLimitPerMinute: 200,
    adminToken: Option.none(),
    secretKey: Option.none(),
    publicBaseUrl: "http://127.0.0.1:0",
    logLevel: "info",
    shutdownGraceSeconds: 1,
    scheduledCallLeaseSeconds: 120,
    scheduledCallQuietSeconds: 600,
    clusterRunner: Option.none(),
  }
  return { ...base, ...overrides }
}
