// What the inbound rate limiter costs: requests per second to a cheap authenticated endpoint (GET /timing/check
// with the admin token: no database work) on two gateways started the same way (`npm start`'s script), one with
// every bucket on (at rates far above what the bench sends, so nothing is refused and every request pays for its
// bucket) and one with every bucket off. The load alternates between them in short rounds, each round one of each
// back to back, so that a pair sees the same machine (a shared machine's speed drifts by more than the limiter
// costs); the figure is the median of the pairs' ratios, next to each gateway's median round.
//
//   npx tsx bench/inboundLimits.ts      BENCH_ROUNDS=30 BENCH_SECONDS=1 BENCH_CONCURRENCY=16
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { Agent, request } from "node:http"
import { tmpdir } from "node:os"
import path from "node:path"
import { Option } from "effect"
import { defaultInboundLimits, makeInboundLimits } from "../src/config/InboundLimits.js"
import { makeInboundLimiter } from "../src/http/InboundLimiter.js"
import { freePort, median, npmStartFlags, report, root, setting } from "./support.js"

const rounds = setting("BENCH_ROUNDS", 30)
const seconds = setting("BENCH_SECONDS", 1)
const concurrency = setting("BENCH_CONCURRENCY", 16)
const adminToken = "bench-admin-token-0123456789abcdef"
const unthrottled = "1000000/1000000"

interface Gateway {
  readonly name: string
  readonly port: number
  readonly child: ChildProcess
  readonly dataDir: string
}

const waitHealthy = async (port: number, child: ChildProcess) => {
  const deadline = Date.now() + 180_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}`)
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/exotel/health`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error("gateway not healthy within 180 s")
}

const start = async (name: string, rates: string): Promise<Gateway> => {
  const port = await freePort()
  const dataDir = mkdtempSync(path.join(tmpdir(), "evg-bench-limits-"))
  const child = spawn(process.execPath, [...npmStartFlags, "scripts/start.mjs"], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      GATEWAY_ADMIN_TOKEN: adminToken,
      LOG_LEVEL: "error",
      RATE_LIMIT_ADMIN: rates,
      RATE_LIMIT_OPERATOR: rates,
      RATE_LIMIT_VIEWER: rates,
      RATE_LIMIT_ADDRESS: rates,
    },
    stdio: ["ignore", "ignore", "inherit"],
  })
  await waitHealthy(port, child)
  return { name, port, child, dataDir }
}

const stop = (gateway: Gateway) =>
  new Promise<void>((resolve) => {
    const done = () => {
      rmSync(gateway.dataDir, { recursive: true, force: true })
      resolve()
    }
    if (gateway.child.exitCode !== null) return done()
    gateway.child.once("exit", done)
    gateway.child.kill("SIGTERM")
  })

const get = (agent: Agent, port: number) =>
  new Promise<number>((resolve, reject) => {
    const outgoing = request(
      {
        host: "127.0.0.1",
        port,
        path: "/api/exotel/timing/check",
        headers: { authorization: `Bearer ${adminToken}` },
        agent,
      },
      (response) => {
        response.resume()
        response.on("end", () => resolve(response.statusCode ?? 0))
      },
    )
    outgoing.on("error", reject)
    outgoing.end()
  })

/** Requests answered per second over `forSeconds`, `concurrency` at a time; any answer but 200 stops the bench. */
const load = async (gateway: Gateway, forSeconds: number) => {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  const until = performance.now() + forSeconds * 1000
  let answered = 0
  const worker = async () => {
    while (performance.now() < until) {
      const status = await get(agent, gateway.port)
      if (status !== 200) throw new Error(`${gateway.name}: GET /timing/check answered ${status}`)
      answered++
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const elapsed = (performance.now() - started) / 1000
  agent.destroy()
  return answered / elapsed
}

const limited = await start("limiter on", unthrottled)
const unlimited = await start("limiter off", "off")
try {
  // Warm both (the JIT, the connections) before anything counts.
  await load(limited, 2)
  await load(unlimited, 2)
  const on: Array<number> = []
  const off: Array<number> = []
  const ratios: Array<number> = []
  for (let round = 0; round < rounds; round++) {
    // Each round starts with the other gateway, so neither always runs on a machine the other just warmed.
    const first = round % 2 === 0 ? limited : unlimited
    const a = await load(first, seconds)
    const b = await load(first === limited ? unlimited : limited, seconds)
    const [withLimiter, without] = first === limited ? [a, b] : [b, a]
    on.push(withLimiter)
    off.push(without)
    ratios.push(withLimiter / without)
  }
  // The check alone, in this process: what each request pays for its bucket, noise or none.
  const limiter = makeInboundLimiter(
    makeInboundLimits({
      perRole: { ...defaultInboundLimits.perRole, admin: Option.some({ perSecond: 1e9, burst: 1e9 }) },
    }),
    () => performance.now(),
  )
  const checks = 1_000_000
  const checkStarted = performance.now()
  for (let i = 0; i < checks; i++) limiter.admitKey("admin", "admin", Option.none())
  const checkMicros = ((performance.now() - checkStarted) * 1000) / checks
  report([
    {
      figure: `GET /timing/check, limiter on / off: median of ${rounds} back-to-back pairs`,
      unit: "×",
      gateway: median(ratios),
      baseline: null,
      target: { of: "gateway", bound: "atLeast", value: 0.95 },
    },
    {
      figure: "GET /timing/check throughput, limiter on (gateway) / off (baseline), median round",
      unit: "req/s",
      gateway: median(on),
      baseline: median(off),
    },
    {
      figure: "one bucket check (baseline: a request's time at the limiter-off median)",
      unit: "µs",
      gateway: checkMicros,
      baseline: 1e6 / median(off),
    },
  ])
} finally {
  await Promise.all([stop(limited), stop(unlimited)])
}
