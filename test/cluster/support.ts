// Three gateway processes as runners of one cluster on a fresh PostgreSQL database, against a simulator that
// runs in the test process and keeps the ledger. Skipped, with a message, when no server is reachable.

import type { ChildProcess } from "node:child_process"
import { randomBytes } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { Duration, Effect, Option, Schedule, Schema, type Scope } from "effect"
import pg from "pg"
import { defaultSimulatorOptions, startExotelSimulator } from "../../src/sim/exotel/ExotelSimulator.js"
import { SimLedger } from "../../src/sim/exotel/ledger.js"
import { plainContact, scenarioContact } from "../campaigns/support.js"
import { callApi, freePort, gatewaySourceProcess, untilHealthy } from "../support/gatewayProcess.js"
import { roundRobinProxy } from "../support/roundRobinProxy.js"
import { allowAll } from "../support/upstream.js"

export const serverUrl = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test"

const withDatabase = (url: string, database: string) => {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

/** Whether the server answers within two seconds. */
export const serverReachable = async (): Promise<boolean> => {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 2_000 })
  try {
    await client.connect()
    await client.query("SELECT 1")
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => undefined)
  }
}

const admin = (sql: string) =>
  Effect.promise(async () => {
    const client = new pg.Client({ connectionString: serverUrl })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  })

/** A database of the test's own on the server, dropped when the scope closes. */
export const freshDatabase = Effect.acquireRelease(
  Effect.map(
    Effect.sync(() => `evg_cluster_${randomBytes(6).toString("hex")}`),
    (name) => name,
  ).pipe(Effect.tap((name) => admin(`CREATE DATABASE ${name}`))),
  (name) => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).pipe(Effect.ignore),
).pipe(Effect.map((name) => withDatabase(serverUrl, name)))

export const adminToken = "cluster-admin-token-0123456789abcdef"

/** One gateway process of the cluster, and what its log said about the singletons it ran. */
export interface Runner {
  readonly name: string
  readonly port: number
  readonly base: string
  readonly env: Record<string, string>
  child: ChildProcess
  /** When this process started and stopped running a singleton (epoch ms, in order). */
  readonly holds: Array<{
    readonly singleton: string
    readonly event: "started" | "stopped"
    readonly at: number
  }>
}

/** Whether the runner's log last said it started the singleton. */
export const holds = (runner: Runner, singleton: string) =>
  runner.holds.filter((h) => h.singleton === singleton).at(-1)?.event === "started"

export const holdsCampaigns = (runner: Runner) => holds(runner, "CampaignRunners")

/** When the runner last started the singleton (epoch ms), or 0. */
export const startedAt = (runner: Runner, singleton: string) =>
  runner.holds.filter((h) => h.singleton === singleton && h.event === "started").at(-1)?.at ?? 0

const SingletonLog = Schema.parseJson(
  Schema.Struct({
    message: Schema.String,
    annotations: Schema.Struct({ singleton: Schema.String }),
  }),
)
const events = {
  "Singleton started on this process": "started",
  "Singleton stopped on this process": "stopped",
} as const
const isEvent = (message: string): message is keyof typeof events => message in events

const onLog = (runner: { holds: Runner["holds"] }) => (line: string) => {
  if (!line.includes("Singleton ")) return
  Option.map(Schema.decodeUnknownOption(SingletonLog)(line), ({ message, annotations }) => {
    if (isEvent(message))
      runner.holds.push({ singleton: annotations.singleton, event: events[message], at: Date.now() })
  })
}

/** Starts (or starts again) a runner's process, and waits until it answers. */
export const launch = (runner: Runner): Effect.Effect<void, unknown, Scope.Scope> =>
  Effect.gen(function* () {
    runner.child = yield* gatewaySourceProcess(runner.env, onLog(runner))
    yield* untilHealthy(runner.base)
  })

/** A runner's settings: its HTTP port and its cluster port, on the shared database. */
export const runnerSettings = (
  name: string,
  databaseUrl: string,
  exotel: {
    readonly url: string
    readonly apiKey: string
    readonly apiToken: string
    readonly accountSid: string
  },
) =>
  Effect.gen(function* () {
    const port = yield* freePort
    const clusterPort = yield* freePort
    const dataDir = yield* Effect.acquireRelease(
      Effect.sync(() => mkdtempSync(path.join(tmpdir(), `evg-cluster-${name}-`))),
      (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true })),
    )
    const runner: Omit<Runner, "child"> = {
      name,
      port,
      base: `http://127.0.0.1:${port}`,
      holds: [],
      env: {
        PORT: String(port),
        HOST: "127.0.0.1",
        DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl,
        CLUSTER_RUNNER_HOST: "127.0.0.1",
        CLUSTER_RUNNER_PORT: String(clusterPort),
        // Fewer shards than the default 300: fewer advisory locks to take and hand over on two cores.
        CLUSTER_SHARDS: "30",
        GATEWAY_ADMIN_TOKEN: adminToken,
        GATEWAY_SECRET_KEY: "cluster-secret",
        EXOTEL_SERVICE_URL: exotel.url,
        EXOTEL_API_KEY: exotel.apiKey,
        EXOTEL_API_TOKEN: exotel.apiToken,
        EXOTEL_ACCOUNT_SID: exotel.accountSid,
        EXOTEL_DEFAULT_EXOPHONE: "08040000000",
        CAMPAIGN_RECONCILE_SECONDS: "2",
        CAMPAIGN_ORPHAN_SECONDS: "3",
        SCHEDULED_CALL_LEASE_SECONDS: "3",
        SCHEDULED_CALL_QUIET_SECONDS: "4",
        SHUTDOWN_GRACE_SECONDS: "1",
      },
    }
    return runner
  })

export const call = (base: string, method: string, route: string, body?: unknown) =>
  callApi(base, adminToken, method, route, body)

export const poll = <A, E>(
  read: Effect.Effect<A, E>,
  done: (a: A) => boolean,
  within: Duration.DurationInput,
) =>
  read.pipe(
    Effect.filterOrFail(done, () => "not yet" as const),
    Effect.retry(Schedule.spaced("250 millis")),
    Effect.timeout(within),
  )

export const seconds = (ms: number) => Duration.toSeconds(Duration.millis(ms)).toFixed(1)

/** The one process holding the campaign runners, once the runners have shared out the shards and it stays. */
export const settledHolder = (runners: ReadonlyArray<Runner>) =>
  Effect.gen(function* () {
    const holders = () => runners.filter(holdsCampaigns)
    yield* Effect.sync(holders).pipe(
      Effect.filterOrFail(
        (held) => held.length === 1,
        () => "not settled" as const,
      ),
      Effect.retry(Schedule.spaced("250 millis")),
      Effect.timeout("20 seconds"),
    )
    // The ring may still move the singleton as the last runner joins: it must stay put for a while.
    yield* Effect.sleep("3 seconds")
    return holders()
  })

/** The first of these runners to hold the singleton (the campaign runners by default), within 10 s. */
export const nextHolder = (candidates: ReadonlyArray<Runner>, singleton = "CampaignRunners") =>
  Effect.sync(() => candidates.find((r) => holds(r, singleton))).pipe(
    Effect.filterOrFail(
      (r) => r !== undefined,
      () => "no holder yet" as const,
    ),
    Effect.retry(Schedule.spaced("100 millis")),
    Effect.timeout("10 seconds"),
  )

const credentials = { apiKey: "cluster-key", apiToken: "cluster-token", accountSid: "cluster-account" }

/**
 * The simulator with its ledger, a fresh database, and three runners started at once on it (the first creates
 * the cluster's tables, the others wait for it), settled with one holder of the campaign runners. Behind a
 * proxy, it is every process's PUBLIC_BASE_URL and `entry`; otherwise each process is called back itself.
 */
export const startFleet = (options: {
  readonly behindProxy: boolean
  /** More settings for every process (a webhook receiver's URL, say). */
  readonly env?: Record<string, string>
}) =>
  Effect.gen(function* () {
    const ledger = new SimLedger()
    const simulator = yield* startExotelSimulator(defaultSimulatorOptions(credentials, { ledger }))
    const databaseUrl = yield* freshDatabase
    const exotel = { url: simulator.url, ...credentials }
    const settings = yield* Effect.all(
      ["a", "b", "c"].map((name) => runnerSettings(name, databaseUrl, exotel)),
    )
    const proxy = options.behindProxy ? yield* roundRobinProxy(settings.map((s) => s.port)) : undefined
    const runners: Array<Runner> = settings.map((s) => ({
      ...s,
      env: {
        ...s.env,
        ...options.env,
        ...(proxy === undefined ? {} : { PUBLIC_BASE_URL: proxy.url }),
      },
      child: undefined as never,
    }))
    yield* Effect.forEach(runners, launch, { concurrency: "unbounded", discard: true })
    const holders = yield* settledHolder(runners)
    return { ledger, runners, holders, proxy }
  })

/**
 * An agentless campaign of thirty contacts, created through `base` at any hour: busy lines (two attempts
 * allowed, so dialled twice) spread among plain ones (dialled once), at most `cap` calls at once.
 */
export const startCampaign = (base: string, name: string, series: number, cap: number) =>
  Effect.gen(function* () {
    const busy = [0, 1, 2].map((i) => scenarioContact(i, "991", series))
    const plain = Array.from({ length: 27 }, (_, i) => plainContact(i, series))
    const contacts = plain.flatMap((phone, i) => {
      const b = i % 9 === 0 ? busy[i / 9] : undefined
      return b === undefined ? [phone] : [b, phone]
    })
    const timing = yield* call(base, "PUT", "/config/timing", allowAll)
    const created = yield* call(base, "POST", "/campaigns", {
      name,
      purpose: "order_confirmation",
      dialerType: "agentless",
      contacts: contacts.map((phone) => ({ phone })),
      retryConfig: { maxAttempts: 2, initialDelaySeconds: 1, backoffMultiplier: 1, maxDelaySeconds: 1 },
      pacing: { concurrencyCap: cap },
    })
    if (timing.status !== 200 || created.status !== 201) {
      return yield* Effect.dieMessage(`campaign not created: ${JSON.stringify([timing.body, created.body])}`)
    }
    return { busy, plain, contacts, id: String(created.body.id) }
  })
