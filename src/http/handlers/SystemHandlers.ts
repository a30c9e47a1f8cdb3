// GET /status and GET /metrics.
import { monitorEventLoopDelay } from "node:perf_hooks"
import { HttpApiBuilder } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Effect, Metric, Option } from "effect"
import { GatewayEnv } from "../../config/Env.js"
import { Settings } from "../../config/Settings.js"
import { upstreamBaseUrl, upstreamMode } from "../../config/settingsCatalog.js"
import { DatabaseInfo } from "../../store/Database.js"
import { GatewayApi } from "../GatewayApi.js"
import { toPrometheusText } from "../prometheus.js"
import { pingDatabase } from "./HealthHandlers.js"

const processResidentMemory = Metric.gauge("process_resident_memory_bytes", {
  description: "Resident set size of the gateway process",
})
const heapUsed = Metric.gauge("nodejs_heap_used_bytes", { description: "V8 heap in use" })
/**
 * How late the gateway thread's event loop ran a timer due every 10 ms, since the previous scrape: the thread
 * every stream's audio goes through, so a long synthesis or a long query on it shows here first.
 */
const eventLoopDelay = (quantile: "p50" | "p99" | "max") =>
  Metric.gauge(`nodejs_eventloop_delay_${quantile}_seconds`, {
    description: `How late the event loop ran a timer due every 10 ms, since the previous scrape: ${quantile === "max" ? "the longest" : quantile}`,
  })
const loopResolutionMillis = 10
const eventLoopDelayP50 = eventLoopDelay("p50")
const eventLoopDelayP99 = eventLoopDelay("p99")
const eventLoopDelayMax = eventLoopDelay("max")

export const gatewayVersion = "0.1.0"

export const SystemHandlersLive = HttpApiBuilder.group(GatewayApi, "system", (handlers) =>
  Effect.gen(function* () {
    const settings = yield* Settings
    const database = yield* DatabaseInfo
    const env = yield* GatewayEnv
    const sql = yield* SqlClient.SqlClient
    const startedAt = new Date()
    const loopDelay = monitorEventLoopDelay({ resolution: loopResolutionMillis })
    loopDelay.enable()
    yield* Effect.addFinalizer(() => Effect.sync(() => loopDelay.disable()))
    return handlers
      .handle("status", () =>
        Effect.gen(function* () {
          const current = yield* settings.current
          const probe = yield* pingDatabase.pipe(
            Effect.zip(sql<{ serverVersion: string }>`SHOW server_version`),
            Effect.provideService(SqlClient.SqlClient, sql),
            Effect.either,
          )
          const memory = process.memoryUsage()
          return {
            service: "exotel-voice-gateway" as const,
            version: gatewayVersion,
            startedAt: startedAt.toISOString(),
            uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
            enabled: current.enabled,
            database: {
              mode: database.mode,
              reachable: probe._tag === "Right",
              latencyMs: probe._tag === "Right" ? Math.round(probe.right[0] * 100) / 100 : null,
              serverVersion: probe._tag === "Right" ? (probe.right[1][0]?.serverVersion ?? null) : null,
              error: probe._tag === "Left" ? probe.left.message : null,
            },
            upstream: {
              mode: upstreamMode(current.exotel),
              baseUrl: Option.getOrNull(upstreamBaseUrl(current.exotel)),
            },
            nerve: Option.match(env.nerveSystemUrl, {
              onNone: () => ({ mode: "built-in" as const, url: null }),
              onSome: (url) => ({ mode: "external" as const, url }),
            }),
            publicBaseUrl: env.publicBaseUrl,
            process: {
              node: process.version,
              pid: process.pid,
              rssBytes: memory.rss,
              heapUsedBytes: memory.heapUsed,
            },
          }
        }),
      )
      .handle("metrics", () =>
        Effect.gen(function* () {
          const memory = process.memoryUsage()
          yield* Metric.set(processResidentMemory, memory.rss)
          yield* Metric.set(heapUsed, memory.heapUsed)
          // The histogram holds the nanoseconds between ticks, the timer's own 10 ms included; NaN before its
          // first. (A scrape's first tick after it only marks where the next interval starts.)
          const delay = (ns: number) =>
            Number.isFinite(ns) && loopDelay.count > 0
              ? Math.max(0, ns / 1e9 - loopResolutionMillis / 1000)
              : 0
          yield* Metric.set(eventLoopDelayP50, delay(loopDelay.percentile(50)))
          yield* Metric.set(eventLoopDelayP99, delay(loopDelay.percentile(99)))
          yield* Metric.set(eventLoopDelayMax, delay(loopDelay.max))
          loopDelay.reset()
          return toPrometheusText(yield* Metric.snapshot)
        }),
      )
  }),
)
