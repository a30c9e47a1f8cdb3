// Benchmark: how many concurrent line_test streams each server carries with the p99 time from a digit arriving
// to the reply's first media frame under 100 ms — the gateway (`npm start`, embedded database) and a bare `ws`
// server doing the same parsing and replying (bench/bareWsServer.ts), each in its own child process, driven by
// the same simulated Exotel streams: a 3,200-byte chunk every 100 ms each and a digit every 2 s.
// Also reports each server's CPU (share of one core) and resident memory per session, and the CPU it spends
// opening and closing one stream (BENCH_LIFECYCLE streams opened in waves of 50, then stopped).
//
//   npx tsx bench/voiceStream.ts          BENCH_SECONDS=10 BENCH_START=50 BENCH_MAX=3200 BENCH_LIFECYCLE=400
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import path from "node:path"
import WebSocket from "ws"
import { type CallRecording, playCall } from "../src/sim/streamCaller/StreamCaller.js"
import { npmStartFlags, report, setting, unthrottledEnv } from "./support.js"

const seconds = setting("BENCH_SECONDS", 10)
const startN = setting("BENCH_START", 50)
const maxN = setting("BENCH_MAX", 3200)
const targetMs = 100
// Both servers let in only streams with this Basic credential, sent as Exotel sends it: from the URL's userinfo.
const streamAuth = { key: "bench-stream-key", token: "bench-stream-token-0123456789" }
const userinfo = `${streamAuth.key}:${streamAuth.token}@`
const ticksPerSecond = 100

interface Server {
  readonly name: string
  readonly url: string
  readonly child: ChildProcess
  readonly stop: () => void
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer()
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      probe.close(() => resolve(port))
    })
  })

const waitFor = async (probe: () => Promise<boolean>, millis: number) => {
  const deadline = Date.now() + millis
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error("server did not come up")
}

const startGateway = async (): Promise<Server> => {
  const port = await freePort()
  const dataDir = mkdtempSync(path.join(tmpdir(), "evg-bench-"))
  // As `npm start` runs it: the bundle, with the embedded database opened on its own thread first.
  const child = spawn(process.execPath, [...npmStartFlags, "scripts/start.mjs"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "error",
      DATABASE_URL: "",
      EXOTEL_STREAM_AUTH_KEY: streamAuth.key,
      EXOTEL_STREAM_AUTH_TOKEN: streamAuth.token,
      // Thousands of handshakes from one loopback address: the per-address bucket would refuse most.
      ...unthrottledEnv,
    },
    stdio: ["ignore", "ignore", "inherit"],
  })
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/api/exotel/health`)).ok, 60_000)
  await new Promise((r) => setTimeout(r, 1000))
  return {
    name: "gateway",
    url: `ws://${userinfo}127.0.0.1:${port}/api/exotel/voice-stream`,
    child,
    stop: () => {
      child.kill("SIGTERM")
      setTimeout(() => rmSync(dataDir, { recursive: true, force: true }), 3000).unref()
    },
  }
}

const startBare = async (): Promise<Server> => {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/bareWsServer.ts"], {
    env: {
      ...process.env,
      BENCH_STREAM_AUTHORIZATION: `Basic ${Buffer.from(`${streamAuth.key}:${streamAuth.token}`).toString("base64")}`,
    },
    stdio: ["ignore", "pipe", "inherit"],
  })
  const port = await new Promise<number>((resolve) =>
    child.stdout?.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))),
  )
  await new Promise((r) => setTimeout(r, 1000))
  return {
    name: "bare ws",
    url: `ws://${userinfo}127.0.0.1:${port}`,
    child,
    stop: () => child.kill("SIGTERM"),
  }
}

/** CPU seconds (user + system) and resident bytes of a process, from /proc. */
const usage = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? []
  const cpu = (Number(stat[11]) + Number(stat[12])) / ticksPerSecond
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024
  return { cpu, rss }
}

interface Round {
  readonly n: number
  readonly p99: number
  readonly p50: number
  readonly missing: number
  /** Streams whose socket failed before the call ended. */
  readonly dropped: number
  readonly cpuShare: number
  readonly rssPerSession: number
  /** The process's whole peak resident memory over N: an upper bound that includes the idle gateway. */
  readonly peakRssPerSession: number
}

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted.length === 0
    ? Number.POSITIVE_INFINITY
    : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0)

const round = async (server: Server, n: number): Promise<Round> => {
  const pid = server.child.pid ?? 0
  const durationMs = seconds * 1000
  const before = usage(pid)
  let peakRss = before.rss
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, usage(pid).rss)
  }, 250)
  const started = performance.now()
  const calls = await Promise.all(
    Array.from({ length: n }, (_, i) => {
      // Streams start spread over the first second and press a digit every 2 s after that.
      const offset = Math.floor((i / n) * 1000)
      const digits: Array<{ atMs: number; digit: string }> = []
      for (let at = 1000; at < durationMs - offset - 1000; at += 2000)
        digits.push({ atMs: at, digit: String((i + at) % 10) })
      // A stream the server resets (its accept backlog overflowing, say) fails the round, not the benchmark.
      return new Promise<CallRecording | undefined>((resolve) =>
        setTimeout(
          () =>
            playCall({
              url: server.url,
              customParameters: { flow: "line_test", language: "en" },
              chunkBytes: 3200,
              chunkEveryMs: 100,
              digits,
              hangupAtMs: durationMs - offset,
              maxMs: durationMs + 10_000,
            }).then(resolve, () => resolve(undefined)),
          offset,
        ),
      )
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  clearInterval(sampler)
  const after = usage(pid)
  const dropped = calls.filter((c) => c === undefined).length
  const recorded = calls.filter((c): c is CallRecording => c !== undefined)
  const latencies = recorded
    .flatMap((c) => c.digitLatencies)
    .filter((l): l is number => l !== null)
    .sort((a, b) => a - b)
  const missing = recorded.reduce((m, c) => m + c.digitLatencies.filter((l) => l === null).length, 0)
  return {
    n,
    p50: percentile(latencies, 0.5),
    p99: missing > 0 || dropped > 0 ? Number.POSITIVE_INFINITY : percentile(latencies, 0.99),
    missing,
    dropped,
    cpuShare: (after.cpu - before.cpu) / elapsed / n,
    // Above what the process held just before the round: earlier rounds leave memory the allocator keeps.
    rssPerSession: Math.max(0, peakRss - before.rss) / n,
    peakRssPerSession: peakRss / n,
  }
}

const describe = (r: Round) =>
  `N=${r.n}: p50 ${r.p50.toFixed(1)} ms, p99 ${Number.isFinite(r.p99) ? r.p99.toFixed(1) : "∞"} ms` +
  `${r.missing > 0 ? ` (${r.missing} digits unanswered)` : ""}${r.dropped > 0 ? ` (${r.dropped} streams dropped)` : ""}, CPU ${(r.cpuShare * 100).toFixed(3)}% of a core/session, ` +
  `RSS +${(r.rssPerSession / 1024).toFixed(1)} KiB/session above the round's start (peak ${(r.peakRssPerSession / 1024).toFixed(0)} KiB/session all in)`

/**
 * One round at N; a failing round is run once more and the better kept — on a shared two-core machine one
 * stall elsewhere can fail a round. The same rule applies to both servers.
 */
const attempt = async (server: Server, n: number) => {
  const first = await round(server, n)
  console.log(`  ${server.name} ${describe(first)}`)
  if (first.p99 < targetMs) return first
  const second = await round(server, n)
  console.log(`  ${server.name} ${describe(second)} (second try)`)
  return second.p99 < first.p99 ? second : first
}

/** Doubles N until the p99 target fails, then bisects twice between the last pass and the first failure. */
const search = async (server: Server) => {
  // A short unreported round first: JIT warm-up and first-use caches are not what we measure.
  await round(server, 20)
  let best: Round | undefined
  let failed: number | undefined
  for (let n = startN; n <= maxN; n *= 2) {
    const r = await attempt(server, n)
    if (r.p99 < targetMs) best = r
    else {
      failed = n
      break
    }
  }
  for (let step = 0; step < 2 && best !== undefined && failed !== undefined; step++) {
    const mid = Math.round((best.n + failed) / 2)
    const r = await attempt(server, mid)
    if (r.p99 < targetMs) best = r
    else failed = mid
  }
  return best
}

const lifecycleStreams = setting("BENCH_LIFECYCLE", 400)

const openStream = (url: string, i: number) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false })
    const sid = `MZlifecycle${i}`
    ws.on("open", () => {
      ws.send(JSON.stringify({ event: "connected" }))
      ws.send(
        JSON.stringify({
          event: "start",
          sequence_number: "1",
          stream_sid: sid,
          start: {
            stream_sid: sid,
            call_sid: `CA${sid}`,
            custom_parameters: { flow: "line_test", language: "en" },
            media_format: { encoding: "audio/x-raw", sample_rate: "8000", bit_rate: "16" },
          },
        }),
      )
      resolve(ws)
    })
    ws.on("error", reject)
  })

const settle = () => new Promise((r) => setTimeout(r, 1500))

/** CPU milliseconds the server spends to open one stream (handshake, start, session) and to close it. */
const lifecycle = async (server: Server) => {
  const pid = server.child.pid ?? 0
  const figures: Array<{ open: number; close: number }> = []
  // The first wave warms the JIT; the two after it are kept.
  for (let wave = 0; wave < 3; wave++) {
    const before = usage(pid).cpu
    const sockets: Array<WebSocket> = []
    for (let i = 0; i < lifecycleStreams; i += 50)
      sockets.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(50, lifecycleStreams - i) }, (_, k) => openStream(server.url, i + k)),
        )),
      )
    await settle()
    const opened = usage(pid).cpu
    await Promise.all(
      sockets.map(
        (ws) =>
          new Promise<void>((resolve) => {
            ws.once("close", () => resolve())
            ws.send(JSON.stringify({ event: "stop", stop: { reason: "callended" } }))
            setTimeout(() => ws.close(), 300)
          }),
      ),
    )
    await settle()
    const closed = usage(pid).cpu
    if (wave > 0)
      figures.push({
        open: ((opened - before) * 1000) / lifecycleStreams,
        close: ((closed - opened) * 1000) / lifecycleStreams,
      })
  }
  const open = Math.min(...figures.map((f) => f.open))
  const close = Math.min(...figures.map((f) => f.close))
  console.log(
    `  ${server.name} open ${open.toFixed(2)} ms, close ${close.toFixed(2)} ms of CPU per stream (${lifecycleStreams} streams)`,
  )
  return { open, close }
}

const main = async () => {
  console.log(
    `Voice-stream benchmark: line_test, ${seconds} s per round, p99 digit→first reply media < ${targetMs} ms`,
  )
  const results: Array<[string, Round | undefined]> = []
  const costs: Array<{ open: number; close: number }> = []
  for (const start of [startGateway, startBare]) {
    const server = await start()
    try {
      costs.push(await lifecycle(server))
      results.push([server.name, await search(server)])
    } finally {
      server.stop()
    }
  }
  const [gateway, bare] = results.map(([, r]) => r)
  const [gatewayCost, bareCost] = costs
  const atItsN = (figure: (r: Round) => number) => ({
    gateway: gateway === undefined ? null : figure(gateway),
    baseline: bare === undefined ? null : figure(bare),
  })
  report([
    {
      figure: `streams carried with p99 digit→reply < ${targetMs} ms`,
      unit: "streams",
      ...atItsN((r) => r.n),
      target: { of: "ratio", bound: "atLeast", value: 0.8 },
    },
    { figure: "p99 digit→reply at its N", unit: "ms", ...atItsN((r) => r.p99) },
    { figure: "CPU per session at its N", unit: "% of a core", ...atItsN((r) => r.cpuShare * 100) },
    {
      figure: "resident memory per session at its N, above the round's start",
      unit: "KiB",
      ...atItsN((r) => r.rssPerSession / 1024),
    },
    {
      figure: `CPU to open a stream (${lifecycleStreams} streams)`,
      unit: "ms",
      gateway: gatewayCost?.open ?? null,
      baseline: bareCost?.open ?? null,
    },
    {
      figure: `CPU to close a stream (${lifecycleStreams} streams)`,
      unit: "ms",
      gateway: gatewayCost?.close ?? null,
      baseline: bareCost?.close ?? null,
    },
  ])
  process.exit(0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
