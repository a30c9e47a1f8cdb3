// The README's short tour, run as a newcomer would: `npm start` on a fresh data folder with nothing configured,
// then every request the tour's code block shows, read from the README itself so the two cannot drift apart.
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schedule } from "effect"
import { callApi, freePort, gatewayProcess, untilHealthy } from "../support/gatewayProcess.js"

const root = path.resolve(import.meta.dirname, "../..")

interface TourRequest {
  readonly method: string
  readonly route: string
  readonly body: unknown
}

/** The curl lines of the README's tour block: `-d '<json>'` makes a POST, otherwise a GET. */
const tourRequests = (): ReadonlyArray<TourRequest> => {
  const readme = readFileSync(path.join(root, "README.md"), "utf8")
  const block = readme.split("## A short tour")[1]?.split("```sh")[1]?.split("```")[0] ?? ""
  const commands = block
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .filter((line) => line.startsWith("curl"))
  return commands.map((command) => {
    const data = /-d '([^']*)'/.exec(command)?.[1]
    const route = /localhost:3000\/api\/exotel(\S*)/.exec(command)?.[1] ?? ""
    return {
      method: data === undefined ? "GET" : "POST",
      route,
      body: data === undefined ? undefined : JSON.parse(data),
    }
  })
}

describe("the README's tour", () => {
  it.scopedLive(
    "works on a fresh data folder with nothing configured: the simulated account's ExoPhone calls",
    () =>
      Effect.gen(function* () {
        const requests = tourRequests()
        expect(requests.map((r) => `${r.method} ${r.route}`)).toEqual([
          "GET /health",
          "GET /config",
          "POST /click-to-call",
          "POST /nerve/vendor/confirm",
          "GET /nerve/calls/order/12345",
        ])
        const dataDir = yield* Effect.acquireRelease(
          Effect.sync(() => mkdtempSync(path.join(tmpdir(), "evg-tour-"))),
          (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true })),
        )
        const port = yield* freePort
        const base = `http://127.0.0.1:${port}`
        yield* gatewayProcess({ PORT: String(port), DATA_DIR: dataDir })
        yield* untilHealthy(base)
        const token = readFileSync(path.join(dataDir, "admin-token"), "utf8").trim()
        const [health, config, clickToCall, vendorConfirm, orderCalls] = requests
        for (const request of [health, config, clickToCall, vendorConfirm]) {
          if (request === undefined) continue
          const answer = yield* callApi(base, token, request.method, request.route, request.body)
          expect(answer.status, `${request.method} ${request.route}: ${JSON.stringify(answer.body)}`).toBe(
            200,
          )
        }
        // The simulated vendor presses 1, then 2 5 #: the order's call ends accepted with a prep time of 25.
        const order = yield* callApi(base, token, "GET", orderCalls?.route ?? "").pipe(
          Effect.filterOrFail((a) => JSON.stringify(a.body).includes('"prepTimeMinutes":25')),
          Effect.retry(Schedule.spaced("250 millis")),
          Effect.timeout("60 seconds"),
        )
        expect(order.status).toBe(200)
      }),
    120_000,
  )
})
