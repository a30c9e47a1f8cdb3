// The HTTP API fuzzed from its own OpenAPI document: FUZZ_REQUESTS hostile requests (5,000 in `npm test`;
// `npm run test:fuzz` makes 100,000), FUZZ_CONCURRENCY (8) at a time, with and without valid tokens. Not one
// may get a 5xx or a reset connection, the gateway must log no error, and /health must answer 200 afterwards.
// PUT /config is left out: pointing the upstream at a dead address is a legitimate change with 503s to follow.
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import * as fc from "fast-check"
import { InboundLimits, makeInboundLimits } from "../../src/config/InboundLimits.js"
import { captureLogs } from "../support/capturedLogs.js"
import { type RawAnswer, send, serverPort } from "../support/rawHttp.js"
import { adminToken, TestGatewayLive } from "../support/testGateway.js"
import { type FuzzRequest, fuzzRequests, operationsOf } from "./openApiRequests.js"

const requests = Number(process.env.FUZZ_REQUESTS ?? 5_000)
/** Requests in flight at once (FUZZ_CONCURRENCY). */
const together = Number(process.env.FUZZ_CONCURRENCY ?? 8)

// The console's event stream never ends by design: a request to it would wait out the fuzzer's timeout.
const excluded = new Set(["PUT /config", "GET /console/events"])

// The limiter runs, but far above what the fuzzer sends: the requests are meant to reach the handlers.
const unthrottled = Option.some({ perSecond: 1_000_000, burst: 1_000_000 })
const limits = Layer.succeed(
  InboundLimits,
  makeInboundLimits({
    perRole: { admin: unthrottled, operator: unthrottled, viewer: unthrottled },
    perAddress: unthrottled,
  }),
)

const logs = captureLogs()

// An account with a raised limit on both sides: a 503 from the account's budget is right under a flood of valid
// requests, but this run is about bad input, and 100,000 requests would spend Exotel's 200 a minute at once.
const gateway = TestGatewayLive({
  defaultExoPhone: Option.some("08040000000"),
  rateLimitPerMinute: Option.some(100_000),
  simulatorRateLimitPerMinute: 100_000,
}).pipe(Layer.provide(limits), Layer.provide(logs.layer))

const issueKey = (port: number, role: string) =>
  Effect.map(
    send({
      port,
      method: "POST",
      path: "/api/exotel/api-keys",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ name: `fuzz ${role}`, role }),
    }),
    (answer) => {
      const body: unknown = JSON.parse(answer.text)
      return typeof body === "object" && body !== null && "key" in body && typeof body.key === "string"
        ? body.key
        : ""
    },
  )

interface Outcome {
  readonly request: FuzzRequest
  readonly answer: RawAnswer | Error
}

const describeOutcome = ({ request, answer }: Outcome) =>
  `${request.method} ${request.path.slice(0, 200)} (${request.operation}) ${JSON.stringify(request.headers).slice(0, 200)} ` +
  `body ${request.body === undefined ? "none" : `${request.body.length} chars: ${request.body.slice(0, 100)}`} → ${
    answer instanceof Error ? answer.message : `${answer.status} ${answer.text.slice(0, 300)}`
  }`

layer(gateway, { timeout: 120_000, excludeTestServices: true })("HTTP fuzzing", (it) => {
  it.effect(
    `${requests} requests drawn from the OpenAPI document get no 5xx, no reset and no error in the log`,
    () =>
      Effect.gen(function* () {
        const port = yield* serverPort
        const document: unknown = JSON.parse(
          (yield* send({ port, method: "GET", path: "/api/docs/openapi.json" })).text,
        )
        const operations = operationsOf(document, excluded)
        expect(operations.length).toBeGreaterThan(50)
        expect(operations.every((o) => o.path.startsWith("/api/exotel/"))).toBe(true)
        expect(operations.filter((o) => o.method === "PUT" && o.path === "/api/exotel/config")).toEqual([])
        const tokens = {
          admin: adminToken,
          operator: yield* issueKey(port, "operator"),
          viewer: yield* issueKey(port, "viewer"),
        }
        const statuses = new Map<number, number>()
        const failures: Array<Outcome> = []
        let sent = 0
        const started = performance.now()

        const attempt = (request: FuzzRequest) =>
          // A connection each: a kept-alive one idle past the server's keep-alive timeout, while its batch waits
          // for a slow request, is closed under the next request sent on it.
          send({ port, ...request }).pipe(
            Effect.catchAll((error) => Effect.succeed(error)),
            Effect.map((answer): Outcome => ({ request, answer })),
          )

        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(
              fc.array(fuzzRequests(document, excluded, tokens), {
                minLength: together,
                maxLength: together,
              }),
              async (batch) => {
                const outcomes = await Effect.runPromise(
                  Effect.all(batch.map(attempt), { concurrency: together }),
                )
                sent += outcomes.length
                const bad = outcomes.filter((o) => o.answer instanceof Error || o.answer.status >= 500)
                for (const { answer } of outcomes) {
                  if (!(answer instanceof Error))
                    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
                }
                failures.push(...bad)
                return bad.length === 0
              },
            ),
            { numRuns: Math.ceil(requests / together), endOnFailure: true },
          ),
        ).pipe(
          // A failing batch is reported below, request by request; anything else fast-check threw, as it is.
          Effect.catchAllDefect((defect) =>
            Effect.sync(() => failures.length === 0 && expect.fail(String(defect))),
          ),
        )

        const seconds = (performance.now() - started) / 1000
        const serverErrors = [...statuses]
          .filter(([status]) => status >= 500)
          .reduce((n, [, count]) => n + count, 0)
        // Past vitest's console, which keeps a passing test quiet: the long run's figures are its report.
        process.stderr.write(
          `HTTP fuzz: ${sent} requests in ${seconds.toFixed(1)} s (${Math.round(sent / seconds)}/s); 5xx: ${serverErrors}; ` +
            `resets or errors: ${failures.filter((f) => f.answer instanceof Error).length}; statuses ${JSON.stringify(
              Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
            )}\n`,
        )
        expect(failures.map(describeOutcome)).toEqual([])
        expect(sent).toBeGreaterThanOrEqual(requests)

        const health = yield* send({ port, method: "GET", path: "/api/exotel/health" })
        expect(health.status).toBe(200)
        const errors = logs.lines.filter((line) => line.level === "ERROR" || line.level === "FATAL")
        expect(
          errors.map((line) => `${line.message} ${JSON.stringify(line.annotations)} ${line.cause}`),
        ).toEqual([])
      }),
    Math.max(120_000, requests * 30),
  )
})
