// Benchmark: how many concurrent streams each server carries with the p99 time from a digit arriving to the
// reply's first media frame under 100 ms — the gateway (`npm start`, embedded database) and a bare `ws` server
// doing the same parsing and replying (bench/bareWsServer.ts), each in its own child process, driven by the same
// simulated Exotel streams: a 3,200-byte chunk every 100 ms each and, on `line_test`, a digit every 2 s.
// In the same run, the gateway carries the vendor-confirmation flow with real prompts (eSpeak NG): each stream a
// vendor who hears the offer out (its order number spoken, so rendered on a speech thread), presses 1, hears the
// prep-time question (a static prompt, from the cache), types the minutes and #, and hears them read back; its N
// is held to 0.8× line_test's. Beside it: the prompt cache's hit rate, the p99 wait for a speech thread, the
// milliseconds per sentence and the p99 of the gateway thread's event-loop delay, all read from its /metrics.
// Also reports each server's CPU (share of one core) and resident memory per session, and the CPU it spends
// opening and closing one stream (BENCH_LIFECYCLE streams opened in waves of 50, then stopped).
//
//   npx tsx bench/voiceStream.ts          BENCH_SECONDS=10 BENCH_START=50 BENCH_MAX=3200 BENCH_LIFECYCLE=400
//                                         BENCH_VENDOR_START=25 BENCH_VENDOR_MAX=1600 (BENCH_VENDOR_ONLY=1; BENCH_DATABASE_URL runs the gateway on that server)
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import path from "node:path"
import WebSocket from "ws"
import { type CallRecording, playCall } from "../src/sim/streamCaller/StreamCaller.js"
import { tones } from "../src/stream/audio.js"
import { npmStartFlags, report, setting, unthrottledEnv } from "./support.js"

const seconds = setting("BENCH_SECONDS", 10)
const startN = setting("BENCH_START", 50)
const maxN = setting("BENCH_MAX", 3200)
const vendorStartN = setting("BENCH_VENDOR_START", 25)
const vendorMaxN = setting("BENCH_VENDOR_MAX", 1600)
// For work on the vendor flow alone: its rounds on the gateway, printed, with no report (nothing to compare with).
const onlyVendorFlow = setting("BENCH_VENDOR_ONLY", 0) === 1
const targetMs = 100
// Both servers let in only streams with this Basic credential, sent as Exotel sends it: from the URL's userinfo.
const streamAuth = { key: "bench-stream-key", token: "bench-stream-token-0123456789" }
const userinfo = `${streamAuth.key}:${streamAuth.token}@`
// The gateway's admin token: it switches inbound vendor flows on, registers their sessions and reads /metrics.
const adminToken = "bench-admin-token-0123456789abcdef"
const ticksPerSecond = 100

interface Server {
  readonly name: string
  readonly url: string
  readonly child: ChildProcess
  readonly stop: () => void
  /** The gateway's HTTP API: its /metrics, and sessions for the vendor flow. None for the bare server. */
  readonly api?: (path: string, init?: { method: string; body: unknown }) => Promise<Response>
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
  // BENCH_GATEWAY_NODE_FLAGS adds Node flags, such as --cpu-prof, for work on where the gateway's time goes.
  const extraFlags = (process.env.BENCH_GATEWAY_NODE_FLAGS ?? "").split(" ").filter((f) => f !== "")
  const child = spawn(process.execPath, [...npmStartFlags, ...extraFlags, "scripts/start.mjs"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "error",
      DATABASE_URL: process.env.BENCH_DATABASE_URL ?? "",
      EXOTEL_STREAM_AUTH_KEY: streamAuth.key,
      EXOTEL_STREAM_AUTH_TOKEN: streamAuth.token,
      GATEWAY_ADMIN_TOKEN: adminToken,
      // Real voices: the built-in eSpeak NG engine on its default speech threads.
      TTS_ENGINE: "espeak",
      TTS_URL: "",
      // Thousands of handshakes from one loopback address: the per-address bucket would refuse most.
      ...unthrottledEnv,
    },
    stdio: ["ignore", "ignore", "inherit"],
  })
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/api/exotel/health`)).ok, 60_000)
  await new Promise((r) => setTimeout(r, 1000))
  const api = (at: string, init?: { method: string; body: unknown }) =>
    fetch(`http://127.0.0.1:${port}/api/exotel${at}`, {
      method: init?.method ?? "GET",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      ...(init === undefined ? {} : { body: JSON.stringify(init.body) }),
    })
  // A stream Exotel's flow opens may run a vendor flow only once an admin allows it.
  const allowed = await api("/config/voice-stream", { method: "PUT", body: { inboundFlowsEnabled: true } })
  if (!allowed.ok) throw new Error(`PUT /config/voice-stream: ${allowed.status} ${await allowed.text()}`)
  return {
    name: "gateway",
    url: `ws://${userinfo}127.0.0.1:${port}/api/exotel/voice-stream`,
    api,
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

/** One sample of the gateway's /metrics: each series by its name and labels, as the text exposition writes it. */
type Scrape = ReadonlyMap<string, number>

const scrape = async (server: Server): Promise<Scrape | undefined> => {
  if (server.api === undefined) return undefined
  const response = await server.api("/metrics")
  if (!response.ok) throw new Error(`GET /metrics: ${response.status}`)
  const series = new Map<string, number>()
  for (const line of (await response.text()).split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue
    const at = line.lastIndexOf(" ")
    series.set(line.slice(0, at), Number(line.slice(at + 1)))
  }
  return series
}

const grew = (before: Scrape, after: Scrape, key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0)

/**
 * A quantile of what a histogram recorded between two scrapes, interpolated within its bucket; in the
 * histogram's unit (seconds). NaN when it recorded nothing.
 */
const histogramQuantile = (before: Scrape, after: Scrape, name: string, q: number) => {
  const buckets = [...after.keys()]
    .flatMap((key) => {
      const le = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\}$`).exec(key)?.[1]
      return le === undefined ? [] : [{ le: le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le), key }]
    })
    .sort((a, b) => a.le - b.le)
    .map((b) => ({ le: b.le, count: grew(before, after, b.key) }))
  const total = buckets.at(-1)?.count ?? 0
  if (total === 0) return Number.NaN
  let lower = 0
  let below = 0
  for (const b of buckets) {
    if (b.count >= q * total) {
      if (!Number.isFinite(b.le)) return lower
      return lower + ((b.le - lower) * (q * total - below)) / Math.max(1, b.count - below)
    }
    lower = b.le
    below = b.count
  }
  return lower
}

/** What the gateway's speech did over a round, and how late its event loop ran. */
interface SpeechFigures {
  /** Sentences found in the cache, over all sentences asked for. */
  readonly sentenceHitRate: number
  /** Prompts none of whose sentences had to be spoken, over all prompts. */
  readonly promptHitRate: number
  readonly sentencesSpoken: number
  readonly queueWaitP99Ms: number
  readonly msPerSentence: number
  readonly eventLoopP99Ms: number
  readonly eventLoopMaxMs: number
  /** From a flow's prompt being due in the gateway to its first frame sent, p99. */
  readonly promptFirstFrameP99Ms: number
  /** A flow's step written down (state, log, outbox) before the session acts on it, p99. */
  readonly stepPersistP99Ms: number
}

const speechOver = (before: Scrape, after: Scrape): SpeechFigures => {
  const fromCache = grew(before, after, 'tts_sentences_total{source="cache"}')
  const spoken = grew(before, after, 'tts_sentences_total{source="engine"}')
  const promptsCached = grew(before, after, 'tts_prompts_total{source="cache"}')
  const prompts =
    promptsCached +
    grew(before, after, 'tts_prompts_total{source="engine"}') +
    grew(before, after, 'tts_prompts_total{source="fallback"}')
  const requests = grew(before, after, "tts_synthesis_seconds_per_sentence_count")
  return {
    sentenceHitRate: fromCache / Math.max(1, fromCache + spoken),
    promptHitRate: promptsCached / Math.max(1, prompts),
    sentencesSpoken: spoken,
    queueWaitP99Ms: histogramQuantile(before, after, "tts_queue_wait_seconds", 0.99) * 1000,
    // Each request records its own time per sentence: their mean.
    msPerSentence:
      requests === 0
        ? Number.NaN
        : (grew(before, after, "tts_synthesis_seconds_per_sentence_sum") * 1000) / requests,
    // A gauge over the time since the previous scrape: the round's own.
    eventLoopP99Ms: (after.get("nodejs_eventloop_delay_p99_seconds") ?? Number.NaN) * 1000,
    eventLoopMaxMs: (after.get("nodejs_eventloop_delay_max_seconds") ?? Number.NaN) * 1000,
    promptFirstFrameP99Ms: histogramQuantile(before, after, "voice_prompt_first_frame_seconds", 0.99) * 1000,
    stepPersistP99Ms: histogramQuantile(before, after, "voice_step_persist_seconds", 0.99) * 1000,
  }
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
  /** The gateway's speech and event loop over the round; none for the bare server. */
  readonly speech: SpeechFigures | undefined
  /** Vendor flow: from the start message to the offer's first frame, p99 (ms). */
  readonly firstPromptP99: number | undefined
}

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted.length === 0
    ? Number.POSITIVE_INFINITY
    : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0)

/** What one stream of a round gives back: its digits' latencies (null: no reply), and for a vendor its offer's. */
interface Played {
  readonly digitLatencies: ReadonlyArray<number | null>
  readonly firstPromptMs?: number | null
}

/** A flow the round's streams play: `play(i)` runs stream i of n (it starts at `offset` ms into the round). */
interface Flow {
  readonly name: string
  /** Before the round, untimed: whatever its streams need registered. */
  readonly prepare: (server: Server, n: number) => Promise<void>
  readonly play: (server: Server, i: number, n: number, offset: number) => Promise<Played>
}

const lineTest: Flow = {
  name: "line_test",
  prepare: async () => undefined,
  play: (server, i, _n, offset) => {
    const durationMs = seconds * 1000
    // Streams start spread over the first second and press a digit every 2 s after that.
    const digits: Array<{ atMs: number; digit: string }> = []
    for (let at = 1000; at < durationMs - offset - 1000; at += 2000)
      digits.push({ atMs: at, digit: String((i + at) % 10) })
    return playCall({
      url: server.url,
      customParameters: { flow: "line_test", language: "en" },
      chunkBytes: 3200,
      chunkEveryMs: 100,
      digits,
      hangupAtMs: durationMs - offset,
      maxMs: durationMs + 10_000,
    }).then((c: CallRecording) => ({ digitLatencies: c.digitLatencies }))
  },
}

const inboundFrame = Buffer.from(tones([220], 200, 8000)).toString("base64")
let vendorRounds = 0

/**
 * One vendor on a vendor_confirmation call that POST /voice-stream/start announced: hears the offer out (to its
 * mark), presses 1, hears the prep-time question out, types the minutes 150 ms apart and #, and hangs up once the
 * read-back has played. Times the start to the offer's first frame, and 1 and # to the first frame after each;
 * the minutes' digits get no reply and are not timed.
 */
const vendorCall = (url: string, sessionId: string, minutes: number) =>
  new Promise<Played>((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false })
    const sid = `MZ${sessionId.replace(/[^A-Za-z0-9]/g, "")}`
    let sequence = 0
    let startedAt = 0
    let firstPromptMs: number | null = null
    const latencies: Array<number | null> = [null, null]
    let waiting: { index: number; since: number } | undefined
    let finished = false
    const timers: Array<NodeJS.Timeout> = []
    const send = (event: string, body: Record<string, unknown>) => {
      if (ws.readyState === WebSocket.OPEN)
        ws.send(JSON.stringify({ event, sequence_number: String(++sequence), stream_sid: sid, ...body }))
    }
    const press = (digit: string) => send("dtmf", { dtmf: { digit, duration: "100" } })
    const finish = () => {
      if (finished) return
      finished = true
      clearInterval(media)
      for (const t of timers) clearTimeout(t)
      resolve({ digitLatencies: latencies, firstPromptMs })
    }
    const hangUp = () => {
      send("stop", { stop: { call_sid: `CA${sid}`, account_sid: "bench", reason: "callended" } })
      ws.close(1000)
    }
    let chunk = 0
    const media = setInterval(() => {
      chunk++
      if (ws.readyState === WebSocket.OPEN)
        ws.send(
          `{"event":"media","sequence_number":"${++sequence}","stream_sid":"${sid}","media":{"chunk":"${chunk}",` +
            `"timestamp":"${Date.now()}","payload":"${inboundFrame}"}}`,
        )
    }, 100)
    ws.on("open", () => {
      ws.send(JSON.stringify({ event: "connected" }))
      startedAt = performance.now()
      send("start", {
        start: {
          stream_sid: sid,
          call_sid: `CA${sid}`,
          account_sid: "bench",
          custom_parameters: { sessionId, language: "en" },
          media_format: { encoding: "audio/x-raw", sample_rate: "8000", bit_rate: "16" },
        },
      })
      timers.push(setTimeout(hangUp, 60_000))
    })
    ws.on("message", (data) => {
      const message = JSON.parse(data.toString()) as { event?: string; mark?: { name?: string } }
      if (message.event === "media") {
        const now = performance.now()
        if (firstPromptMs === null) firstPromptMs = now - startedAt
        if (waiting !== undefined) latencies[waiting.index] = now - waiting.since
        waiting = undefined
        return
      }
      if (message.event !== "mark") return
      const mark = message.mark?.name ?? ""
      if (mark.startsWith("vendor_offer")) {
        waiting = { index: 0, since: performance.now() }
        press("1")
      } else if (mark.startsWith("prep_time_question")) {
        const typed = [...String(minutes), "#"]
        for (const [k, digit] of typed.entries())
          timers.push(
            setTimeout(() => {
              if (digit === "#") waiting = { index: 1, since: performance.now() }
              press(digit)
            }, k * 150),
          )
      } else hangUp()
    })
    ws.on("close", finish)
    ws.on("error", (error) => {
      if (!finished) reject(error)
    })
  })

const vendorConfirmation: Flow = {
  name: "vendor_confirmation",
  prepare: async (server, n) => {
    const api = server.api
    if (api === undefined) throw new Error(`${server.name} has no API for the vendor flow`)
    vendorRounds++
    const register = async (i: number) => {
      const response = await api("/voice-stream/start", {
        method: "POST",
        body: {
          sessionId: `bench-${vendorRounds}-${i}`,
          phone: `+9198${String(10_000_000 + i).slice(-8)}`,
          language: "en",
          flow: "vendor_confirmation",
          // A new order number on every call: each offer has a sentence no cache holds.
          orderId: vendorRounds * 100_000 + i + 1,
        },
      })
      if (!response.ok)
        throw new Error(`POST /voice-stream/start: ${response.status} ${await response.text()}`)
    }
    for (let i = 0; i < n; i += 16)
      await Promise.all(Array.from({ length: Math.min(16, n - i) }, (_, k) => register(i + k)))
  },
  play: (server, i, _n, _offset) =>
    // 10 to 99 minutes: the read-back is one of 90 sentences, spoken once and then kept.
    vendorCall(server.url, `bench-${vendorRounds}-${i}`, 10 + ((i * 7) % 90)),
}

const round = async (server: Server, flow: Flow, n: number): Promise<Round> => {
  await flow.prepare(server, n)
  const pid = server.child.pid ?? 0
  const before = usage(pid)
  // Also starts the event loop's delay afresh: the gauge covers the time since the previous scrape.
  const metricsBefore = await scrape(server)
  let peakRss = before.rss
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, usage(pid).rss)
  }, 250)
  const started = performance.now()
  const calls = await Promise.all(
    Array.from({ length: n }, (_, i) => {
      const offset = Math.floor((i / n) * 1000)
      // A stream the server resets (its accept backlog overflowing, say) fails the round, not the benchmark.
      return new Promise<Played | undefined>((resolve) =>
        setTimeout(() => flow.play(server, i, n, offset).then(resolve, () => resolve(undefined)), offset),
      )
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  clearInterval(sampler)
  const after = usage(pid)
  const metricsAfter = await scrape(server)
  const dropped = calls.filter((c) => c === undefined).length
  const recorded = calls.filter((c): c is Played => c !== undefined)
  const latencies = recorded
    .flatMap((c) => c.digitLatencies)
    .filter((l): l is number => l !== null)
    .sort((a, b) => a - b)
  const missing = recorded.reduce((m, c) => m + c.digitLatencies.filter((l) => l === null).length, 0)
  const firstPrompts = recorded
    .flatMap((c) => (c.firstPromptMs === undefined ? [] : [c.firstPromptMs ?? Number.POSITIVE_INFINITY]))
    .sort((a, b) => a - b)
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
    speech:
      metricsBefore === undefined || metricsAfter === undefined
        ? undefined
        : speechOver(metricsBefore, metricsAfter),
    firstPromptP99: firstPrompts.length === 0 ? undefined : percentile(firstPrompts, 0.99),
  }
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "∞")

const describe = (r: Round) =>
  `N=${r.n}: p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms` +
  `${r.missing > 0 ? ` (${r.missing} digits unanswered)` : ""}${r.dropped > 0 ? ` (${r.dropped} streams dropped)` : ""}, CPU ${(r.cpuShare * 100).toFixed(3)}% of a core/session, ` +
  `RSS +${(r.rssPerSession / 1024).toFixed(1)} KiB/session above the round's start (peak ${(r.peakRssPerSession / 1024).toFixed(0)} KiB/session all in)` +
  (r.firstPromptP99 === undefined ? "" : `, start→offer p99 ${ms(r.firstPromptP99)} ms`) +
  (r.speech === undefined
    ? ""
    : `; event loop p99 ${ms(r.speech.eventLoopP99Ms)} ms (max ${ms(r.speech.eventLoopMaxMs)}), ` +
      `cache hits ${(r.speech.sentenceHitRate * 100).toFixed(1)}% of sentences (${(r.speech.promptHitRate * 100).toFixed(1)}% of prompts), ` +
      `${r.speech.sentencesSpoken} spoken at ${ms(r.speech.msPerSentence)} ms each, queue wait p99 ${ms(r.speech.queueWaitP99Ms)} ms, ` +
      `prompt due→first frame p99 ${ms(r.speech.promptFirstFrameP99Ms)} ms, step written down p99 ${ms(r.speech.stepPersistP99Ms)} ms`)

/**
 * One round at N; a failing round is run once more and the better kept — on a shared two-core machine one
 * stall elsewhere can fail a round. The same rule applies to both servers.
 */
const attempt = async (server: Server, flow: Flow, n: number) => {
  const label = `${server.name} ${flow.name}`
  const first = await round(server, flow, n)
  console.log(`  ${label} ${describe(first)}`)
  if (first.p99 < targetMs) return first
  const second = await round(server, flow, n)
  console.log(`  ${label} ${describe(second)} (second try)`)
  return second.p99 < first.p99 ? second : first
}

/** Doubles N until the p99 target fails, then bisects twice between the last pass and the first failure. */
const search = async (server: Server, flow: Flow, from: number, upTo: number) => {
  // A short unreported round first: JIT warm-up and first-use caches are not what we measure.
  await round(server, flow, 20)
  let best: Round | undefined
  let failed: number | undefined
  for (let n = from; n <= upTo; n *= 2) {
    const r = await attempt(server, flow, n)
    if (r.p99 < targetMs) best = r
    else {
      failed = n
      break
    }
  }
  for (let step = 0; step < 2 && best !== undefined && failed !== undefined; step++) {
    const mid = Math.round((best.n + failed) / 2)
    const r = await attempt(server, flow, mid)
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
    `Voice-stream benchmark: line_test (${seconds} s per round) and vendor_confirmation (a call per stream), ` +
      `p99 digit→first reply media < ${targetMs} ms`,
  )
  const results: Array<[string, Round | undefined]> = []
  const costs: Array<{ open: number; close: number }> = []
  let vendor: Round | undefined
  // The speech threads over every vendor round: at N the sentences come from the cache, so their waits and
  // synthesis times are those of the rounds that first spoke them (a read-back's minutes, say).
  let vendorSearch: SpeechFigures | undefined
  if (onlyVendorFlow) {
    const server = await startGateway()
    try {
      await search(server, vendorConfirmation, vendorStartN, vendorMaxN)
    } finally {
      server.stop()
    }
    process.exit(0)
  }
  for (const start of [startGateway, startBare]) {
    const server = await start()
    try {
      costs.push(await lifecycle(server))
      results.push([server.name, await search(server, lineTest, startN, maxN)])
      if (server.api !== undefined) {
        const before = await scrape(server)
        vendor = await search(server, vendorConfirmation, vendorStartN, vendorMaxN)
        const after = await scrape(server)
        if (before !== undefined && after !== undefined) vendorSearch = speechOver(before, after)
      }
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
  /** The vendor flow's figure at its N (the gateway's column) and line_test's at its own (the baseline's). */
  const vendorBeside = (figure: (r: Round) => number | undefined) => ({
    gateway: vendor === undefined ? null : (figure(vendor) ?? null),
    baseline: gateway === undefined ? null : (figure(gateway) ?? null),
  })
  const vendorOnly = (figure: (s: SpeechFigures) => number) => ({
    gateway: vendor?.speech === undefined ? null : figure(vendor.speech),
    baseline: null,
  })
  report([
    {
      figure: `line_test: streams carried with p99 digit→reply < ${targetMs} ms`,
      unit: "streams",
      ...atItsN((r) => r.n),
      target: { of: "ratio", bound: "atLeast", value: 0.8 },
    },
    { figure: "line_test: p99 digit→reply at its N", unit: "ms", ...atItsN((r) => r.p99) },
    {
      figure: "line_test: CPU per session at its N",
      unit: "% of a core",
      ...atItsN((r) => r.cpuShare * 100),
    },
    {
      figure: "line_test: resident memory per session at its N, above the round's start",
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
    {
      figure: `vendor_confirmation (eSpeak NG) vs gateway line_test: streams carried with p99 digit→reply < ${targetMs} ms`,
      unit: "streams",
      ...vendorBeside((r) => r.n),
      target: { of: "ratio", bound: "atLeast", value: 0.8 },
    },
    {
      figure: "vendor_confirmation vs gateway line_test: p99 digit→reply at its N",
      unit: "ms",
      ...vendorBeside((r) => r.p99),
    },
    {
      figure: "vendor_confirmation vs gateway line_test: CPU per session at its N",
      unit: "% of a core",
      ...vendorBeside((r) => r.cpuShare * 100),
    },
    {
      figure: "vendor_confirmation vs gateway line_test: gateway thread's event-loop delay p99 at its N",
      unit: "ms",
      ...vendorBeside((r) => r.speech?.eventLoopP99Ms),
      target: { of: "gateway", bound: "atMost", value: 20 },
    },
    {
      figure: "vendor_confirmation: a prompt due → its first frame sent, in the gateway, p99 at its N",
      unit: "ms",
      ...vendorOnly((s) => s.promptFirstFrameP99Ms),
      target: { of: "gateway", bound: "atMost", value: 150 },
    },
    {
      figure:
        "vendor_confirmation: start → the offer's first frame (session claimed, call row, offer spoken), p99 at its N",
      unit: "ms",
      gateway: vendor?.firstPromptP99 ?? null,
      baseline: null,
    },
    {
      figure: "vendor_confirmation: prompt cache's hit rate at its N, of sentences",
      unit: "%",
      ...vendorOnly((s) => s.sentenceHitRate * 100),
    },
    {
      figure: "vendor_confirmation: prompt cache's hit rate at its N, of whole prompts",
      unit: "%",
      ...vendorOnly((s) => s.promptHitRate * 100),
    },
    {
      figure: "vendor_confirmation: wait for a speech thread, p99 at its N",
      unit: "ms",
      ...vendorOnly((s) => s.queueWaitP99Ms),
    },
    {
      figure: "vendor_confirmation: synthesis and resampling per sentence at its N",
      unit: "ms",
      ...vendorOnly((s) => s.msPerSentence),
    },
    {
      figure: "vendor_confirmation: sentences the engine spoke over all its rounds",
      unit: "sentences",
      gateway: vendorSearch?.sentencesSpoken ?? null,
      baseline: null,
    },
    {
      figure: "vendor_confirmation: wait for a speech thread, p99 over all its rounds",
      unit: "ms",
      gateway: vendorSearch === undefined ? null : vendorSearch.queueWaitP99Ms,
      baseline: null,
    },
    {
      figure: "vendor_confirmation: synthesis and resampling per sentence over all its rounds",
      unit: "ms",
      gateway: vendorSearch === undefined ? null : vendorSearch.msPerSentence,
      baseline: null,
    },
  ])
  process.exit(0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
