// The gateway as a user runs it: `npm start`'s script in a child process, stopped with SIGTERM and started again.
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { request as httpRequest } from "node:http"
import { tmpdir } from "node:os"
import path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Option, Redacted } from "effect"
import { callApi as call, freePort, untilHealthy } from "../support/gatewayProcess.js"
import { serverUrl, testDatabaseTarget } from "../support/testDatabase.js"

const root = path.resolve(import.meta.dirname, "../..")

interface Running {
  readonly child: ChildProcess
  readonly output: () => string
}

const start = (env: Record<string, string>) =>
  Effect.sync((): Running => {
    let output = ""
    const child = spawn(process.execPath, ["scripts/start.mjs"], {
      cwd: root,
      env: { ...process.env, ...env, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    })
    child.stdout?.on("data", (chunk) => {
      output += String(chunk)
    })
    child.stderr?.on("data", (chunk) => {
      output += String(chunk)
    })
    return { child, output: () => output }
  })

const stop = (running: Running) =>
  Effect.async<number | null>((resume) => {
    if (running.child.exitCode !== null) return resume(Effect.succeed(running.child.exitCode))
    running.child.once("exit", (code) => resume(Effect.succeed(code)))
    running.child.kill("SIGTERM")
  })

/** A PUT whose body arrives in two parts, `gap` apart: a request still in flight during that gap. */
const slowPut = (base: string, token: string, route: string, body: string, gap: Effect.Effect<void>) =>
  Effect.async<{ status: number; body: string }, Error>((resume) => {
    const req = httpRequest(`${base}/api/exotel${route}`, {
      method: "PUT",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
      },
    })
    req.on("response", (response) => {
      let text = ""
      response.on("data", (chunk) => {
        text += String(chunk)
      })
      response.on("end", () => resume(Effect.succeed({ status: response.statusCode ?? 0, body: text })))
    })
    req.on("error", (error) => resume(Effect.fail(error)))
    const half = Math.floor(body.length / 2)
    req.write(body.slice(0, half))
    Effect.runPromise(gap).then(() => req.end(body.slice(half)))
  })

describe("npm start", () => {
  it.live(
    "keeps settings changed through the API across a SIGTERM and a restart, and logs no secret",
    () =>
      Effect.gen(function* () {
        const dataDir = yield* Effect.acquireRelease(
          Effect.sync(() => mkdtempSync(path.join(tmpdir(), "evg-process-"))),
          (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true })),
        )
        const databaseUrl = Option.isSome(serverUrl)
          ? yield* Effect.flatMap(testDatabaseTarget, (t) =>
              Effect.succeed(t._tag === "Server" ? Redacted.value(t.url) : ""),
            )
          : ""
        const port = yield* freePort
        const base = `http://127.0.0.1:${port}`
        const env = {
          PORT: String(port),
          HOST: "127.0.0.1",
          DATA_DIR: dataDir,
          DATABASE_URL: databaseUrl,
          GATEWAY_ADMIN_TOKEN: "",
          GATEWAY_SECRET_KEY: "",
          EXOTEL_API_KEY: "secret-exotel-key-77",
          EXOTEL_API_TOKEN: "secret-exotel-token-88",
          EXOTEL_ACCOUNT_SID: "acme",
          EXOTEL_SERVICE_URL: "http://127.0.0.1:9",
        }

        const first = yield* start(env)
        yield* untilHealthy(base)
        const admin = readFileSync(path.join(dataDir, "admin-token"), "utf8").trim()
        const put = yield* call(base, admin, "PUT", "/config/timing", {
          dndStart: "22:15",
          holidays: ["2026-12-25"],
        })
        expect(put.status).toBe(200)
        const key = yield* call(base, admin, "POST", "/api-keys", { name: "ops", role: "operator" })
        expect(key.status).toBe(201)
        expect(yield* stop(first)).toBe(0)

        const second = yield* start(env)
        yield* untilHealthy(base)
        const timing = yield* call(base, admin, "GET", "/config/timing")
        expect(timing.body).toMatchObject({ dndStart: "22:15", holidays: ["2026-12-25"] })
        const viaKey = yield* call(base, String(key.body.key), "GET", "/config/timing")
        expect(viaKey.status).toBe(200)
        const config = yield* call(base, admin, "GET", "/config")
        expect(config.body).toMatchObject({ apiKey: "****y-77", apiToken: "****n-88", upstream: "exotel" })

        // SIGTERM while a request is half sent: the request is still answered, then the process exits cleanly.
        const exited = Effect.async<number | null>((resume) => {
          second.child.once("exit", (code) => resume(Effect.succeed(code)))
        })
        const inFlight = yield* slowPut(
          base,
          admin,
          "/config/timing",
          JSON.stringify({ dndEnd: "08:45" }),
          // Once the server has the request's headers; a connection not yet accepted is not in flight.
          Effect.sleep("300 millis").pipe(
            Effect.zipRight(Effect.sync(() => second.child.kill("SIGTERM"))),
            Effect.zipRight(Effect.sleep("400 millis")),
          ),
        ).pipe(Effect.fork)
        expect(yield* Fiber.join(inFlight)).toMatchObject({ status: 200 })
        expect(yield* exited.pipe(Effect.timeout("20 seconds"))).toBe(0)

        const logs = first.output() + second.output()
        for (const secret of [
          admin,
          String(key.body.key),
          "secret-exotel-key-77",
          "secret-exotel-token-88",
        ]) {
          expect(logs).not.toContain(secret)
        }
        const lines = logs.split("\n").filter((line) => line.startsWith("{"))
        const requests = lines.map((line) => JSON.parse(line)).filter((entry) => entry.message === "request")
        expect(requests.length).toBeGreaterThan(3)
        for (const entry of requests) expect(entry.annotations.requestId).toMatch(/^req_/)
      }).pipe(Effect.scoped),
    180_000,
  )
})
