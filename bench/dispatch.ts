// Scheduled-call dispatch: BENCH_CALLS calls all due at one instant, placed by the gateway's dispatcher through
// the Exotel client to the in-process simulator — claim, calls row, attempt rows, Calls/connect, the answer
// recorded — on the embedded database and, when BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a server, on
// that server; each next to a bare loop that claims the same rows with the same SQL and does nothing else.
// Reported: calls placed per second, and the lag from the due instant to the call reaching the simulator (for
// the bare loop, to the claim's commit), p50 and p99.
//
//   npx tsx bench/dispatch.ts          BENCH_CALLS=2000
import { randomBytes } from "node:crypto"
import { HttpServer } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Logger, LogLevel, Option, Redacted } from "effect"
import pg from "pg"
import { GatewayEnv, makeGatewayEnv } from "../src/config/Env.js"
import { defaultRetryConfig } from "../src/domain/Retry.js"
import { CoreLive, ServeRoutesLive } from "../src/gateway.js"
import { NodeServerLive } from "../src/http/NodeServer.js"
import { InProcessSimulator } from "../src/inProcessSimulator.js"
import type { DatabaseTarget } from "../src/store/Database.js"
import { openEmbeddedPostgres } from "../src/store/EmbeddedPostgres.js"
import {
  freshServerDatabase,
  percentile,
  report,
  setting,
  unthrottledLimits,
  withoutExotelLimits,
} from "./support.js"

const calls = setting("BENCH_CALLS", 2000)
const adminToken = "bench-admin-token-0123456789abcdef"
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? ""
/** Rows are stored this long before they fall due, so storing them is not measured. */
const leadMs = 1_500

interface Figures {
  readonly label: string
  readonly perSecond: number
  readonly p50: number
  readonly p99: number
  readonly done: number
}

const figuresOf = (label: string, due: number, doneAt: ReadonlyArray<number>): Figures => {
  const lags = doneAt.map((at) => at - due)
  const last = Math.max(...doneAt)
  return {
    label,
    perSecond: doneAt.length / Math.max(0.001, (last - due) / 1000),
    p50: percentile(lags, 0.5),
    p99: percentile(lags, 0.99),
    done: doneAt.length,
  }
}

// Ending in 0: the simulator's "answered" scenario.
const phoneOf = (i: number) => `+919123${String(i).padStart(5, "0")}0`

const dueRows = (due: Date) =>
  Array.from({ length: calls }, (_, i) => ({
    id: `sched_bench_${i}_${randomBytes(4).toString("hex")}`,
    phone: phoneOf(i),
    purpose: "order_confirmation",
    priority: 1 + (i % 10),
    context: JSON.stringify({ orderId: `ORDER-${i}` }),
    useVerifiedCall: false,
    retryConfig: JSON.stringify(defaultRetryConfig),
    scheduledFor: due,
    status: "pending",
    createdAt: new Date(),
    updatedAt: new Date(),
  }))

const gatewayFigures = (label: string, target: DatabaseTarget) =>
  Effect.scoped(
    Effect.gen(function* () {
      const env = makeGatewayEnv({
        // This measures the gateway's own work, not the Exotel account's budget (bench/rateBudget.ts does).
        ...withoutExotelLimits,
        adminToken: Option.some(Redacted.make(adminToken)),
        secretKey: Option.some(Redacted.make("bench-secret")),
        defaultExoPhone: Option.some("08040000000"),
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
      const sql = Context.get(context, SqlClient.SqlClient)
      const address = Context.get(context, HttpServer.HttpServer).address
      const port = address._tag === "TcpAddress" ? address.port : 0
      const simulator = Option.getOrThrow(Context.get(context, InProcessSimulator))
      const due = Date.now() + leadMs
      const rows = dueRows(new Date(due))
      for (let i = 0; i < rows.length; i += 500) {
        yield* sql`INSERT INTO scheduled_calls ${sql.insert(rows.slice(i, i + 500))}`
      }
      // One more through the API, due at the same instant: its insert is what wakes the dispatcher.
      yield* Effect.promise(() =>
        fetch(`http://127.0.0.1:${port}/api/exotel/scheduled-calls`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
          body: JSON.stringify({
            phone: phoneOf(calls),
            purpose: "order_confirmation",
            preferredTime: new Date(due).toISOString(),
          }),
        }).then((r) => r.arrayBuffer()),
      )
      const placed = () => simulator.ledger.accepted("call")
      while (placed().length < calls + 1) yield* Effect.sleep("20 millis")
      return figuresOf(
        label,
        due,
        placed().map((e) => e.at),
      )
    }),
  )

const table = `CREATE TABLE scheduled_calls (
  id VARCHAR(64) PRIMARY KEY, phone VARCHAR(20) NOT NULL, purpose VARCHAR(30) NOT NULL, priority INTEGER NOT NULL,
  context JSONB NOT NULL, use_verified_call BOOLEAN NOT NULL, retry_config JSONB NOT NULL,
  preferred_time TIMESTAMPTZ, scheduled_for TIMESTAMPTZ NOT NULL, moved_because TEXT, status VARCHAR(20) NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, current_call_id VARCHAR(64), claimed_by VARCHAR(64), claimed_at TIMESTAMPTZ,
  last_outcome VARCHAR(20), created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ)`

/** The same claim query as the dispatcher's, in batches of 50, marking the rows and nothing else. */
const bareLoop = async (label: string, databaseUrl: string): Promise<Figures> => {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  await client.query(table)
  await client.query(
    "CREATE INDEX scheduled_calls_due_idx ON scheduled_calls (status, scheduled_for, priority)",
  )
  const rows = dueRows(new Date())
  for (const row of rows) {
    await client.query(
      `INSERT INTO scheduled_calls (id, phone, purpose, priority, context, use_verified_call, retry_config,
         scheduled_for, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', NOW(), NOW())`,
      [row.id, row.phone, row.purpose, row.priority, row.context, false, row.retryConfig, row.scheduledFor],
    )
  }
  const due = Date.now() + 200
  await client.query("UPDATE scheduled_calls SET scheduled_for = $1", [new Date(due)])
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())))
  const doneAt: Array<number> = []
  for (;;) {
    await client.query("BEGIN")
    const claimed = await client.query(
      `SELECT id FROM scheduled_calls WHERE status = 'pending' AND scheduled_for <= $1
       ORDER BY priority, scheduled_for, id LIMIT 50 FOR UPDATE SKIP LOCKED`,
      [new Date()],
    )
    const ids = claimed.rows.map((r: { id: string }) => r.id)
    if (ids.length > 0) {
      await client.query(
        "UPDATE scheduled_calls SET status = 'dispatching', attempts = attempts + 1, claimed_at = NOW() WHERE id = ANY($1)",
        [ids],
      )
    }
    await client.query("COMMIT")
    const at = Date.now()
    for (const _ of ids) doneAt.push(at)
    if (ids.length < 50) break
  }
  await client.end()
  return figuresOf(label, due, doneAt)
}

const program = Effect.gen(function* () {
  const rows: Array<Figures> = []
  rows.push(yield* gatewayFigures("gateway, embedded", { _tag: "Embedded", dataDir: Option.none() }))
  rows.push(
    yield* Effect.scoped(
      Effect.flatMap(openEmbeddedPostgres(Option.none()), (db) =>
        Effect.promise(() => bareLoop("bare claim, embedded", db.url)),
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
        Effect.flatMap(freshServerDatabase(serverUrl), (db) =>
          Effect.promise(() => bareLoop("bare claim, server", db.url)),
        ),
      ),
    )
  }
  report(
    ["embedded", "server"].flatMap((kind) => {
      const gateway = rows.find((r) => r.label === `gateway, ${kind}`)
      const bare = rows.find((r) => r.label === `bare claim, ${kind}`)
      if (gateway === undefined || bare === undefined) return []
      return [
        {
          figure: `${kind}: calls placed`,
          unit: "calls/s",
          gateway: gateway.perSecond,
          baseline: bare.perSecond,
        },
        { figure: `${kind}: lag from due, p50`, unit: "ms", gateway: gateway.p50, baseline: bare.p50 },
        { figure: `${kind}: lag from due, p99`, unit: "ms", gateway: gateway.p99, baseline: bare.p99 },
      ]
    }),
  )
})

Effect.runPromise(program.pipe(Logger.withMinimumLogLevel(LogLevel.Warning))).catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
