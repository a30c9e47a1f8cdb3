// The stats endpoints over 100,000 of each kind of row — voice_calls, calls, sms_messages, cqa_results,
// scheduled calls and one campaign's contacts —
// spread evenly over 30 days — median and p99 latency over HTTP, one request at a time, for the shortest and
// the longest period; on the embedded database and, when BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a
// server, on that server. The baseline, in the same run on the same rows: the plainest aggregate the endpoint
// could be (one COUNT(*) of the period's rows of its main table) through the same SQL client, without HTTP.
//
//   npx tsx bench/stats.ts          BENCH_ROWS=100000 BENCH_REQUESTS=100
import { HttpServer } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Logger, LogLevel, Option, Redacted } from "effect"
import { GatewayEnv, makeGatewayEnv } from "../src/config/Env.js"
import { defaultRetryConfig } from "../src/domain/Retry.js"
import { CoreLive, ServeRoutesLive } from "../src/gateway.js"
import { NodeServerLive } from "../src/http/NodeServer.js"
import { defaultPacingConfig } from "../src/policy/pacing/figures.js"
import type { DatabaseTarget } from "../src/store/Database.js"
import type { Row } from "./results.js"
import { freshServerDatabase, median, percentile, report, setting, withoutExotelLimits } from "./support.js"

const rows = setting("BENCH_ROWS", 100_000)
const requests = setting("BENCH_REQUESTS", 100)
const warmup = 10
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? ""
const adminToken = "bench-admin-token-0123456789abcdef"

const endpoints = [
  { path: "/nerve/calls/stats", table: "voice_calls" },
  { path: "/calls/stats", table: "calls" },
  { path: "/cqa/stats", table: "cqa_results" },
  { path: "/scheduled-calls/stats/summary", table: "scheduled_calls" },
  // One campaign of `rows` contacts; its stats take no period (the same figures are asked for twice).
  { path: "/campaigns/bench_campaign/stats", table: "campaign_contacts" },
] as const
const periods = [
  ["24h", 24],
  ["30d", 24 * 30],
] as const

// Row n is n × 25.92 s old: 100,000 rows cover 30 days evenly, about 3,333 a day.
const seed = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const age = sql`make_interval(secs => n * ${(30 * 86_400) / rows}::float8)`
  // Answered calls end with their decision as their status (prep_time_set when a prep time was set); one call in
  // ten took a second attempt.
  yield* sql`
    INSERT INTO voice_calls (id, call_type, status, phone_number, metadata, answered_at, ended_at,
      duration_seconds, prep_time_minutes, attempt_number, created_at)
    SELECT 'bench_' || n,
      (ARRAY['vendor_confirmation','vendor_confirmation','rider_assignment','vendor_prep_time'])[n % 4 + 1],
      CASE WHEN n % 10 IN (6, 7, 8) THEN (ARRAY['busy','failed','no_response'])[n % 10 - 5]
        WHEN n % 3 = 0 THEN 'prep_time_set' WHEN n % 3 = 1 THEN 'rejected' ELSE 'accepted' END,
      '+9198' || lpad((n % 100000)::text, 8, '0'),
      jsonb_build_object('flow', jsonb_build_object('decision',
        (ARRAY['accepted','rejected',NULL])[n % 3 + 1])),
      CASE WHEN n % 10 NOT IN (6, 7, 8) THEN NOW()::timestamp - ${age} END,
      NOW()::timestamp - ${age},
      CASE WHEN n % 10 NOT IN (6, 7, 8) THEN 20 + n % 60 END,
      CASE WHEN n % 3 = 0 AND n % 10 NOT IN (6, 7, 8) THEN 10 + n % 30 END,
      CASE WHEN n % 10 = 9 THEN 2 ELSE 1 END,
      NOW()::timestamp - ${age}
    FROM generate_series(0, ${rows - 1}) AS n`
  yield* sql`
    INSERT INTO calls (id, call_sid, kind, status, from_number, to_number, callback_token, duration_seconds, created_at)
    SELECT 'bench_' || n, 'bsid' || n, 'click_to_call',
      (ARRAY['completed','completed','completed','busy','no-answer','failed','in-progress','completed'])[n % 8 + 1],
      '+9198765' || lpad((n % 50)::text, 5, '0'), '+9191234' || lpad((n % 2000)::text, 5, '0'), 'bench-' || n,
      CASE WHEN n % 8 IN (0, 1, 2, 7) THEN 10 + n % 300 END, NOW() - ${age}
    FROM generate_series(0, ${rows - 1}) AS n`
  yield* sql`
    INSERT INTO sms_messages (id, sms_sid, to_number, body, sms_type, encoding, segments, callback_token, status,
      created_at)
    SELECT 'bench_' || n, CASE WHEN n % 20 <> 0 THEN 'bsms' || n END, '+9191234' || lpad((n % 2000)::text, 5, '0'),
      'Your order is confirmed', 'transactional', 'GSM-7', 1 + n % 2, 'bench-' || n,
      CASE WHEN n % 20 = 0 THEN 'failed' ELSE (ARRAY['sent','sent','sent','failed_dnd','queued'])[n % 5 + 1] END,
      NOW() - ${age}
    FROM generate_series(0, ${rows - 1}) AS n`
  yield* sql`
    INSERT INTO cqa_results (id, call_sid, analysis_type, audio_source, transcript_source, duration_seconds,
      talk_seconds, longest_silence_seconds, clipping_ratio, rms_dbfs, overlap_seconds, interruptions,
      sentiment_label, sentiment_score, compliance_passed, missing_phrases, keywords, result, created_at)
    SELECT 'bench_' || n, 'bsid' || n, (ARRAY['sentiment','keywords','compliance','full'])[n % 4 + 1], 'recording',
      CASE WHEN n % 5 = 0 THEN 'none' ELSE 'request' END, 60 + n % 240, 30 + n % 30, 1 + n % 9, (n % 7) / 1000.0,
      -30 + n % 20, CASE WHEN n % 2 = 0 THEN (n % 5) / 2.0 END, CASE WHEN n % 2 = 0 THEN n % 4 END,
      (ARRAY['positive','neutral','negative'])[n % 3 + 1], (n % 11) - 5,
      CASE WHEN n % 4 IN (2, 3) THEN n % 3 <> 0 END,
      CASE WHEN n % 3 = 0 AND n % 4 IN (2, 3) THEN ARRAY['recording_notice'] ELSE ARRAY[]::text[] END,
      string_to_array((ARRAY['refund,late', 'cold,late', 'refund,manager', 'late,cancel'])[n % 4 + 1], ','),
      '{}'::jsonb, NOW() - ${age}
    FROM generate_series(0, ${rows - 1}) AS n`
  // Finished scheduled calls (nothing for the dispatcher to take), each with its placed and outcome rows.
  const retry = JSON.stringify(defaultRetryConfig)
  yield* sql`
    INSERT INTO scheduled_calls (id, phone, purpose, priority, context, use_verified_call, retry_config,
      scheduled_for, status, attempts, last_outcome, created_at, updated_at, finished_at)
    SELECT 'bench_' || n, '+9198' || lpad((n % 100000)::text, 8, '0'), 'payment_reminder', 1 + n % 10, '{}'::jsonb,
      FALSE, ${retry}::jsonb, NOW() - ${age},
      (ARRAY['completed','completed','completed','failed','cancelled'])[n % 5 + 1], 1,
      (ARRAY['completed','completed','completed','busy',NULL])[n % 5 + 1], NOW() - ${age}, NOW() - ${age}, NOW() - ${age}
    FROM generate_series(0, ${rows - 1}) AS n`
  yield* sql`
    INSERT INTO scheduled_call_attempts (scheduled_call_id, attempt, decision, call_id, outcome, at)
    SELECT 'bench_' || n, 1, d.decision, 'bench_' || n, d.outcome, NOW() - ${age}
    FROM generate_series(0, ${rows - 1}) AS n,
      LATERAL (VALUES ('placed', NULL), ('outcome', (ARRAY['completed','completed','completed','busy','failed'])[n % 5 + 1]))
        AS d(decision, outcome)
    WHERE n % 5 <> 4 OR d.decision = 'placed'`
  // A finished campaign (its runner is not started) of `rows` contacts, each dialled once on a bench call.
  yield* sql`
    INSERT INTO campaigns (id, name, purpose, dialer_type, schedule_at, retry_config, pacing_config,
      error_rate_bound, caller_id, status, errors_since, total_contacts, created_at, updated_at)
    VALUES ('bench_campaign', 'bench', 'promotional_offer', 'progressive', NOW() - interval '30 days', ${retry}::jsonb,
      ${JSON.stringify(defaultPacingConfig)}::jsonb, 0.5, '08040000000', 'completed', NOW() - interval '30 days',
      ${rows}, NOW(), NOW())`
  yield* sql`
    INSERT INTO campaign_contacts (campaign_id, phone, state, attempts, next_attempt_at, last_outcome,
      current_call_id, answered, updated_at)
    SELECT 'bench_campaign', '+9191234' || lpad(n::text, 6, '0'), 'done', 1, NOW() - ${age},
      (ARRAY['completed','completed','busy','no_answer','abandoned'])[n % 5 + 1], 'bench_' || n, n % 5 IN (0, 1, 4),
      NOW() - ${age}
    FROM generate_series(0, ${rows - 1}) AS n`
  yield* sql`
    INSERT INTO campaign_attempts (campaign_id, contact_id, attempt, call_id, decision, outcome, at)
    SELECT 'bench_campaign', c.id, 1, c.current_call_id, d.decision, c.last_outcome, c.updated_at
    FROM campaign_contacts c,
      LATERAL (VALUES ('dialled'), (CASE WHEN c.last_outcome = 'abandoned' THEN 'abandoned' ELSE 'connected' END),
        ('done')) AS d(decision)
    WHERE c.campaign_id = 'bench_campaign'`
  yield* sql`ANALYZE`
})

const timed = async (run: () => Promise<void>) => {
  for (let i = 0; i < warmup; i++) await run()
  const latencies: Array<number> = []
  for (let i = 0; i < requests; i++) {
    const started = performance.now()
    await run()
    latencies.push(performance.now() - started)
  }
  return { p50: median(latencies), p99: percentile(latencies, 0.99) }
}

const figuresFor = (database: string, target: DatabaseTarget) =>
  Effect.scoped(
    Effect.gen(function* () {
      const env = makeGatewayEnv({
        // This measures the gateway's own work, not the Exotel account's budget (bench/rateBudget.ts does).
        ...withoutExotelLimits,
        adminToken: Option.some(Redacted.make(adminToken)),
        secretKey: Option.some(Redacted.make("bench-secret")),
        dataDir: "/tmp/evg-bench-stats",
      })
      const context = yield* Layer.build(
        ServeRoutesLive.pipe(
          Layer.provideMerge(NodeServerLive({ port: 0, host: "127.0.0.1" }, 0)),
          Layer.provideMerge(CoreLive(target)),
          Layer.provide(Layer.succeed(GatewayEnv, env)),
        ),
      )
      const sql = Context.get(context, SqlClient.SqlClient)
      const seedStarted = performance.now()
      yield* seed.pipe(Effect.provideService(SqlClient.SqlClient, sql))
      console.log(
        `${database}: ${rows} rows in each of 6 tables in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
      )
      const address = Context.get(context, HttpServer.HttpServer).address
      const port = address._tag === "TcpAddress" ? address.port : 0
      const out: Array<Row> = []
      for (const endpoint of endpoints) {
        for (const [period, hours] of periods) {
          const url = `http://127.0.0.1:${port}/api/exotel${endpoint.path}?period=${period}`
          const http = yield* Effect.promise(() =>
            timed(async () => {
              const response = await fetch(url, { headers: { authorization: `Bearer ${adminToken}` } })
              await response.arrayBuffer()
              if (response.status !== 200) throw new Error(`${url} answered ${response.status}`)
            }),
          )
          const since = endpoint.table === "campaign_contacts" ? "updated_at" : "created_at"
          const count = sql`SELECT COUNT(*) FROM ${sql(endpoint.table)}
            WHERE ${sql(since)} >= NOW() - make_interval(hours => ${hours})`
          const bare = yield* Effect.promise(() =>
            timed(() => Effect.runPromise(Effect.orDie(Effect.asVoid(count)))),
          )
          const what = `${database}: GET ${endpoint.path} ${period}`
          out.push({ figure: `${what}, p50`, unit: "ms", gateway: http.p50, baseline: bare.p50 })
          out.push({ figure: `${what}, p99`, unit: "ms", gateway: http.p99, baseline: bare.p99 })
        }
      }
      return out
    }),
  )

const program = Effect.gen(function* () {
  const all: Array<Row> = []
  all.push(...(yield* figuresFor("embedded", { _tag: "Embedded", dataDir: Option.none() })))
  if (serverUrl !== "") {
    all.push(
      ...(yield* Effect.scoped(
        Effect.flatMap(freshServerDatabase(serverUrl), (db) =>
          figuresFor("server", { _tag: "Server", url: Redacted.make(db.url) }),
        ),
      )),
    )
  }
  report(all)
})

Effect.runPromise(program.pipe(Logger.withMinimumLogLevel(LogLevel.Warning))).catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
