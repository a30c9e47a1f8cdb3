// Small helpers shared by the benchmarks.

import { randomBytes } from "node:crypto"
import { readFileSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import path from "node:path"
import { Effect, Layer, Option } from "effect"
import pg from "pg"
import { InboundLimits, withoutRateLimits } from "../src/config/InboundLimits.js"
import { type Row, type Run, runDate, table, thisMachine } from "./results.js"

export const root = path.resolve(import.meta.dirname, "..")

/** The file `npm run bench` (bench/run.ts) asks a benchmark to write its rows to. */
export const reportFileVariable = "BENCH_REPORT"

const settingsRead: Record<string, string> = {}

/**
 * A benchmark's size, from its BENCH_* variable or else the default; every one read is recorded, so the table
 * says what a run measured (`BENCH_REQUESTS=50`), defaults included.
 */
export const setting = (name: `BENCH_${string}`, fallback: number): number => {
  const given = process.env[name]
  const value = given === undefined || given === "" ? fallback : Number(given)
  if (!Number.isFinite(value)) throw new Error(`${name}=${given} is not a number`)
  settingsRead[name] = String(value)
  return value
}

/**
 * How every benchmark gives its figures: call it once, at the end, with its rows. Under `npm run bench` the rows
 * go to the file run.ts names, which merges them into bench/results.json and the table; a script run alone
 * (`npx tsx bench/NAME.ts`) prints them as that table. Synchronous, so a script may exit right after.
 */
export const report = (rows: ReadonlyArray<Row>) => {
  // NaN and ∞ (no figure: nothing measured, or every round failed) are no numbers JSON can keep.
  const finite = (value: number | null) => (value !== null && Number.isFinite(value) ? value : null)
  const run: Run = {
    rows: rows.map((row) => ({ ...row, gateway: finite(row.gateway), baseline: finite(row.baseline) })),
    machine: thisMachine(),
    date: runDate(new Date()),
    settings: { ...settingsRead },
  }
  const file = process.env[reportFileVariable]
  if (file !== undefined && file !== "") writeFileSync(file, JSON.stringify(run))
  else console.log(`\n${table({ [path.basename(process.argv[1] ?? "bench", ".ts")]: run })}`)
}

/**
 * The Node flags `npm start` runs the gateway with (package.json's start script, between `node` and the
 * script), so a benchmark's child gateway is the process a user starts, heap settings included.
 */
export const npmStartFlags: ReadonlyArray<string> = (() => {
  const start: string = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts.start
  const words = start.split(/\s+/)
  return words.slice(1, words.indexOf("scripts/start.mjs"))
})()

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

export const percentile = (values: ReadonlyArray<number>, p: number) => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN
}

export const median = (values: ReadonlyArray<number>) => percentile(values, 0.5)

/** A fresh database on the server, dropped afterwards. */
export const freshServerDatabase = (url: string) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const name = `evg_bench_${randomBytes(5).toString("hex")}`
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      await admin.query(`CREATE DATABASE ${name}`)
      const parsed = new URL(url)
      parsed.pathname = `/${name}`
      return { admin, name, url: parsed.toString() }
    }),
    ({ admin, name }) =>
      Effect.promise(async () => {
        // The gateway's pool ends its connections a moment after its scope closes; a forced drop before then
        // kills them mid-flight and their pool raises an unhandled error.
        await new Promise((resolve) => setTimeout(resolve, 1_000))
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        await admin.end()
      }),
  )

/**
 * The gateway's request rates off, for the benchmarks that measure something else: their load (and the
 * simulator's callbacks, all from one loopback address) would be throttled as a client's would.
 */
export const unthrottledLimits = Layer.succeed(InboundLimits, withoutRateLimits)

/** The same for a gateway started as a child process, with the Exotel account's budget and limit off too. */
export const unthrottledEnv = {
  RATE_LIMIT_ADMIN: "off",
  RATE_LIMIT_OPERATOR: "off",
  RATE_LIMIT_VIEWER: "off",
  RATE_LIMIT_ADDRESS: "off",
  EXOTEL_RATE_LIMIT_PER_MINUTE: "0",
  EXOTEL_SIMULATOR_RATE_LIMIT_PER_MINUTE: "0",
}

/**
 * A gateway environment with neither the Exotel account's budget nor the simulator's limit of 200 a minute: for
 * benchmarks that measure something else at thousands of requests a minute.
 */
export const withoutExotelLimits = {
  rateLimitPerMinute: Option.some(0),
  simulatorRateLimitPerMinute: 0,
} as const
