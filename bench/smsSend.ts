// POST /sms/send end to end — HTTP, auth, validation, DLT rules, the row written, the Exotel client, the
// in-process simulator (and the delivery callback it sends back) — on the embedded database and, when
// BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a server, on that server; each next to a bare Node HTTP server
// that only parses the body and inserts the row, on the same kind of database, driven by the same load.
//
//   npx tsx bench/smsSend.ts          BENCH_REQUESTS=3000 BENCH_CONCURRENCY=16
import { randomBytes } from "node:crypto"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { HttpServer } from "@effect/platform"
import { Context, Effect, Layer, Logger, LogLevel, Option, Redacted } from "effect"
import pg from "pg"
import { GatewayEnv, makeGatewayEnv } from "../src/config/Env.js"
import { CoreLive, ServeRoutesLive } from "../src/gateway.js"
import { NodeServerLive } from "../src/http/NodeServer.js"
import { InProcessSimulator } from "../src/inProcessSimulator.js"
import type { DatabaseTarget } from "../src/store/Database.js"
import { openEmbeddedPostgres } from "../src/store/EmbeddedPostgres.js"
import { freshServerDatabase, report, setting, unthrottledLimits, withoutExotelLimits } from "./support.js"

const requests = setting("BENCH_REQUESTS", 3000)
const concurrency = setting("BENCH_CONCURRENCY", 16)
const warmup = Math.min(300, Math.floor(requests / 10))
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? ""
const adminToken = "bench-admin-token-0123456789abcdef"

interface Figures {
  readonly label: string
  readonly perSecond: number
  readonly p50: number
  readonly p99: number
  readonly failures: number
}

const body = (i: number) =>
  JSON.stringify({
    // Ends in 0: the simulator's "answered" scenario (its other scenarios end in 991–998).
    to: `+9191234${String(i % 10_000).padStart(4, "0")}0`,
    message: `Your order ORDER-${i} has been confirmed.`,
    dltTemplateId: "1207160000000000001",
    customField: `ORDER-${i}`,
  })

/** `count` POSTs, `concurrency` at a time, over keep-alive connections; latencies in ms. */
const drive = async (url: string, count: number, offset: number) => {
  const latencies: Array<number> = []
  let failures = 0
  let next = 0
  const worker = async () => {
    while (next < count) {
      const i = offset + next++
      const started = performance.now()
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
        body: body(i),
      })
      await response.arrayBuffer()
      latencies.push(performance.now() - started)
      if (response.status !== 200) failures++
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
  return { perSecond: count / seconds, p50: at(0.5), p99: at(0.99), failures }
}

const measure = async (label: string, url: string): Promise<Figures> => {
  await drive(url, warmup, 1_000_000)
  return { label, ...(await drive(url, requests, 0)) }
}

// The bare baseline: the same table, one INSERT per request, the same pool size as the gateway uses.
const smsTable = `CREATE TABLE IF NOT EXISTS sms_messages (
  id VARCHAR(40) PRIMARY KEY, sms_sid VARCHAR(64) UNIQUE, bulk_id VARCHAR(40), to_number VARCHAR(20) NOT NULL,
  sender VARCHAR(40), body TEXT NOT NULL, sms_type VARCHAR(30) NOT NULL, encoding VARCHAR(10) NOT NULL,
  segments INTEGER NOT NULL, dlt_entity_id VARCHAR(40), dlt_template_id VARCHAR(40), template_id VARCHAR(100),
  priority VARCHAR(10) NOT NULL DEFAULT 'normal', custom_field VARCHAR(128), client_callback TEXT,
  callback_token VARCHAR(64) NOT NULL, status VARCHAR(30) NOT NULL, detailed_status VARCHAR(60), error TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW())`

const bareServer = async (databaseUrl: string, poolSize: number) => {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize })
  pool.on("error", () => {})
  await pool.query(smsTable)
  const server: Server = createServer((request, response) => {
    const chunks: Array<Buffer> = []
    request.on("data", (c: Buffer) => chunks.push(c))
    request.on("end", () => {
      const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"))
      const field = (k: string) =>
        typeof parsed === "object" && parsed !== null ? String(Reflect.get(parsed, k) ?? "") : ""
      const id = `sms_${randomBytes(12).toString("base64url")}`
      pool
        .query(
          `INSERT INTO sms_messages (id, to_number, body, sms_type, encoding, segments, dlt_template_id, custom_field,
             callback_token, status) VALUES ($1, $2, $3, 'transactional', 'GSM-7', 1, $4, $5, $6, 'queued')`,
          [id, field("to"), field("message"), field("dltTemplateId"), field("customField"), id],
        )
        .then(() => {
          response.writeHead(200, { "content-type": "application/json" })
          response.end(JSON.stringify({ id }))
        })
        .catch(() => {
          response.writeHead(500)
          response.end()
        })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/sms`,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await pool.end()
    },
  }
}

const gatewayFigures = (label: string, target: DatabaseTarget) =>
  Effect.scoped(
    Effect.gen(function* () {
      const env = makeGatewayEnv({
        // This measures the gateway's own work, not the Exotel account's budget (bench/rateBudget.ts does).
        ...withoutExotelLimits,
        adminToken: Option.some(Redacted.make(adminToken)),
        secretKey: Option.some(Redacted.make("bench-secret")),
        dltEntityId: Option.some("1201159100000000001"),
        // Exotel requires a sender; the gateway refuses an SMS that names none when none is configured.
        smsSenderId: Option.some("MNGWLE"),
        dataDir: "/tmp/evg-bench",
      })
      const context = yield* Layer.build(
        ServeRoutesLive.pipe(
          Layer.provideMerge(NodeServerLive({ port: 0, host: "127.0.0.1" }, 0)),
          Layer.provideMerge(CoreLive(target)),
          Layer.provide(Layer.succeed(GatewayEnv, env)),
          Layer.provide(unthrottledLimits),
        ),
      )
      const address = Context.get(context, HttpServer.HttpServer).address
      const port = address._tag === "TcpAddress" ? address.port : 0
      const figures = yield* Effect.promise(() =>
        measure(label, `http://127.0.0.1:${port}/api/exotel/sms/send`),
      )
      const simulator = Context.get(context, InProcessSimulator)
      const sent = Option.match(simulator, {
        onNone: () => 0,
        onSome: (s) => s.ledger.accepted("sms").length,
      })
      if (sent !== requests + warmup)
        console.warn(`${label}: the simulator received ${sent} SMS, expected ${requests + warmup}`)
      return figures
    }),
  )

const bareFigures = (label: string, databaseUrl: string, poolSize: number) =>
  Effect.acquireUseRelease(
    Effect.promise(() => bareServer(databaseUrl, poolSize)),
    (bare) => Effect.promise(() => measure(label, bare.url)),
    (bare) => Effect.promise(() => bare.close()),
  )

const program = Effect.gen(function* () {
  const rows: Array<Figures> = []
  rows.push(yield* gatewayFigures("gateway, embedded", { _tag: "Embedded", dataDir: Option.none() }))
  rows.push(
    yield* Effect.scoped(
      Effect.flatMap(openEmbeddedPostgres(Option.none()), (db) =>
        bareFigures("bare node, embedded", db.url, 1),
      ),
    ),
  )
  if (serverUrl !== "") {
    rows.push(
      yield* Effect.scoped(
        Effect.flatMap(freshServerDatabase(serverUrl), (db) =>
          gatewayFigures("gateway, server", { _tag: "Server", url: Redacted.make(db.url) }),
        ),
      ),
    )
    rows.push(
      yield* Effect.scoped(
        Effect.flatMap(freshServerDatabase(serverUrl), (db) => bareFigures("bare node, server", db.url, 10)),
      ),
    )
  }
  for (const r of rows.filter((r) => r.failures > 0))
    console.warn(`${r.label}: ${r.failures} requests failed`)
  report(
    ["embedded", "server"].flatMap((kind) => {
      const gateway = rows.find((r) => r.label === `gateway, ${kind}`)
      const bare = rows.find((r) => r.label === `bare node, ${kind}`)
      if (gateway === undefined || bare === undefined) return []
      return [
        {
          figure: `${kind}: throughput`,
          unit: "req/s",
          gateway: gateway.perSecond,
          baseline: bare.perSecond,
        },
        { figure: `${kind}: latency p50`, unit: "ms", gateway: gateway.p50, baseline: bare.p50 },
        { figure: `${kind}: latency p99`, unit: "ms", gateway: gateway.p99, baseline: bare.p99 },
      ]
    }),
  )
})

Effect.runPromise(program.pipe(Logger.withMinimumLogLevel(LogLevel.Warning))).catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
