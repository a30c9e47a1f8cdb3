// The gateway as a separate process: `npm start`'s script spawned as a child, for tests that kill it (SIGKILL)
// and start it again while the simulator, running in the test process, keeps the ledger.
import { type ChildProcess, spawn } from "node:child_process"
import { createServer } from "node:net"
import path from "node:path"
import { Effect, Schedule } from "effect"

const root = path.resolve(import.meta.dirname, "../..")

/** A loopback port free at the time of asking. */
export const freePort = Effect.async<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** A gateway child process (warnings and errors on the test's stderr), killed with SIGKILL when the scope closes. */
export const gatewayProcess = (env: Record<string, string>) =>
  Effect.acquireRelease(
    Effect.sync(
      (): ChildProcess =>
        spawn(process.execPath, ["scripts/start.mjs"], {
          cwd: root,
          env: { ...process.env, ...env, LOG_LEVEL: "warn" },
          stdio: ["ignore", "ignore", "inherit"],
        }),
    ),
    (child) => Effect.sync(() => child.exitCode === null && child.kill("SIGKILL")),
  )

/** Kills the process with SIGKILL and waits for it to be gone. */
export const killed = (child: ChildProcess) =>
  Effect.async<void>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
    child.once("exit", () => resume(Effect.void))
    child.kill("SIGKILL")
  })

export const untilHealthy = (base: string) =>
  Effect.tryPromise(() => fetch(`${base}/api/exotel/health`)).pipe(
    Effect.filterOrFail((r) => r.ok),
    Effect.retry(Schedule.spaced("50 millis")),
    Effect.timeout("90 seconds"),
  )

/** A JSON request to the gateway's API at `base`, as the holder of `token`. */
export const callApi = (base: string, token: string, method: string, route: string, body?: unknown) =>
  Effect.tryPromise(async () => {
    const response = await fetch(`${base}/api/exotel${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  })

/**
 * A gateway run from source with `node --import tsx`, so that a signal reaches the gateway itself (tsx's own
 * command runs it in a child). Several start at once without racing for `npm start`'s bundle. Its log lines
 * (JSON, on stdout) go to `onLog`; warnings and errors are on the test's stderr too.
 */
export const gatewaySourceProcess = (env: Record<string, string>, onLog: (line: string) => void) =>
  Effect.acquireRelease(
    Effect.sync((): ChildProcess => {
      const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: root,
        env: { ...process.env, LOG_LEVEL: "info", ...env },
        stdio: ["ignore", "pipe", "inherit"],
      })
      let rest = ""
      child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
        const lines = (rest + chunk).split("\n")
        rest = lines.pop() ?? ""
        for (const line of lines) onLog(line)
      })
      return child
    }),
    (child) =>
      Effect.sync(() => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL")),
  )

/** Sends SIGTERM and waits for the process to exit by itself: a graceful stop, as a deploy does it. */
export const terminated = (child: ChildProcess) =>
  Effect.async<void>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
    child.once("exit", () => resume(Effect.void))
    child.kill("SIGTERM")
  })
