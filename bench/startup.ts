// Time to a healthy /health on the embedded database: the first start (a new data folder: initdb) and a
// restart (the folder exists), for the gateway's `npm start` and for a bare PGlite-plus-HTTP baseline.
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { freePort, median, npmStartFlags, percentile, report, root, setting } from "./support.js"

const waitHealthy = async (port: number, child: ChildProcess) => {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`)
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/exotel/health`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error("not healthy within 120 s")
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once("exit", () => resolve())
    child.kill("SIGTERM")
  })

const timeToHealthy = async (command: ReadonlyArray<string>, dataDir: string) => {
  const port = await freePort()
  const started = performance.now()
  const [file, ...args] = command
  const child = spawn(file ?? process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      LOG_LEVEL: "error",
    },
    stdio: "ignore",
  })
  try {
    await waitHealthy(port, child)
    return performance.now() - started
  } finally {
    await stop(child)
  }
}

const measure = async (name: string, command: ReadonlyArray<string>, runs: number) => {
  const firstStarts: Array<number> = []
  const restarts: Array<number> = []
  for (let i = 0; i < runs; i++) {
    const dataDir = mkdtempSync(path.join(tmpdir(), "evg-bench-startup-"))
    try {
      firstStarts.push(await timeToHealthy(command, dataDir))
      restarts.push(await timeToHealthy(command, dataDir))
      restarts.push(await timeToHealthy(command, dataDir))
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
  return { name, firstStarts, restarts }
}

const runStartupBench = async (runs = 3) => {
  console.log("Startup: time to a healthy /health, embedded database")
  // Warm the bundle so restarts measure starting, not bundling.
  await measure("warm-up", [process.execPath, ...npmStartFlags, "scripts/start.mjs"], 1)
  const gateway = await measure(
    "gateway (npm start)",
    [process.execPath, ...npmStartFlags, "scripts/start.mjs"],
    runs,
  )
  const bare = await measure("bare PGlite + HTTP", [process.execPath, "bench/baseline/bareHealth.mjs"], runs)
  report([
    {
      figure: `first start, median of ${runs}`,
      unit: "ms",
      gateway: median(gateway.firstStarts),
      baseline: median(bare.firstStarts),
    },
    {
      figure: `restart, median of ${gateway.restarts.length}`,
      unit: "ms",
      gateway: median(gateway.restarts),
      baseline: median(bare.restarts),
      target: { of: "gateway", bound: "atMost", value: 2000 },
    },
    {
      figure: `restart, p90 of ${gateway.restarts.length}`,
      unit: "ms",
      gateway: percentile(gateway.restarts, 0.9),
      baseline: percentile(bare.restarts, 0.9),
    },
  ])
}

await runStartupBench(setting("BENCH_RUNS", 3))
