// The voice stream under garbage: handshakes with bad paths, bad or missing Authorization and garbage query
// strings; raw upgrade requests that are broken though their credential is right; and, on authenticated
// streams, frames of every wrong kind — binary, huge, invalid JSON, deep nesting, NUL bytes, wrong types in
// every field, unknown events. Nothing garbage gets in, every stream ends with a close code that names what
// was wrong, no session crashes, no error is logged, and /health is 200 afterwards.
//
// FUZZ_REQUESTS bounds the run (a quarter handshakes, the rest frames, ten to a stream); FUZZ_SEED replays one
// (stream i's frames are drawn with seed + i).
import { connect } from "node:net"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import fc from "fast-check"
import { CallRegistry } from "../../src/actors/CallRegistry.js"
import { playCall } from "../../src/sim/streamCaller/StreamCaller.js"
import { captureLogs } from "../support/capturedLogs.js"
import { counter } from "../support/metrics.js"
import { opening, rawStream } from "../support/rawStream.js"
import { streamAuth } from "../support/testGateway.js"
import { eventually } from "../support/upstream.js"
import { GatewayUrl, VoiceTestGateway } from "../support/voiceGateway.js"

const requests = Number(process.env.FUZZ_REQUESTS ?? 400)
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000)
const handshakes = Math.max(20, Math.floor(requests / 4))
const frames = Math.max(60, requests - handshakes)
const framesPerStream = 10
const concurrency = 8
/** Each test's bound: a stream takes about half a second, eight at a time. */
const timeout = 60_000 + requests * 40

const logs = captureLogs()
const gateway = VoiceTestGateway().pipe(Layer.provide(logs.layer))
const streamPath = "/api/exotel/voice-stream"
const basic = (key: string, token: string) => `Basic ${Buffer.from(`${key}:${token}`).toString("base64")}`
const rightBasic = basic(streamAuth.key, streamAuth.token)

// ---- garbage handshakes

const badPath = fc.oneof(
  fc.constantFrom(
    `${streamPath}/`,
    `${streamPath}x`,
    "/api/exotel//voice-stream",
    "/API/EXOTEL/VOICE-STREAM",
    `${streamPath}/..%2f..%2fhealth`,
    "/api/exotel/%00voice-stream",
    `${streamPath}%00`,
    "/api/exotel/voice%2Dstream",
  ),
  fc.string({ unit: "binary", maxLength: 50 }).map((s) => `${streamPath}/${encodeURIComponent(s)}`),
)
const garbageQuery = fc.oneof(
  fc.webQueryParameters(),
  fc.string({ unit: "binary", maxLength: 300 }).map(encodeURIComponent),
  fc.constantFrom(
    "callId=&token=",
    "callId=%00&token=%00",
    "sessionId=%00",
    "token=",
    "callId=a&callId=b&token=x",
    "flow=vendor_confirmation&orderId=777",
    `callId=${"9".repeat(2000)}&token=${"A".repeat(22)}`,
  ),
  fc
    .tuple(
      fc.constantFrom("callId", "sessionId"),
      fc.string({ maxLength: 80 }),
      fc.base64String({ maxLength: 40 }),
    )
    .map(([name, id, token]) => `${name}=${encodeURIComponent(id)}&token=${encodeURIComponent(token)}`),
)
// Header values Node will send: printable ASCII, no leading space.
const headerText = fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,300}$/)
const garbageAuthorization = fc.option(
  fc.oneof(
    headerText,
    headerText.map((s) => `Basic ${s}`),
    fc.tuple(fc.string(), fc.string()).map(([k, t]) => basic(k, t)),
    fc.constantFrom(
      basic(streamAuth.key, ""),
      basic("", streamAuth.token),
      basic(streamAuth.key, streamAuth.token.toUpperCase()),
      `Basic ${Buffer.from(`${streamAuth.key}:${streamAuth.token}\u0000`).toString("base64")}`,
      `Bearer ${streamAuth.token}`,
      "Basic ====",
    ),
  ),
  { nil: undefined },
)
const handshake = fc.record({
  path: fc.oneof({ weight: 3, arbitrary: fc.constant(streamPath) }, { weight: 1, arbitrary: badPath }),
  query: garbageQuery,
  authorization: garbageAuthorization,
})

/** Upgrade requests with the right credential that are broken in themselves, written by hand on a raw socket. */
const brokenUpgrades = (host: string) => {
  const head = (lines: ReadonlyArray<string>) => `${lines.join("\r\n")}\r\n\r\n`
  const common = [`Host: ${host}`, `Authorization: ${rightBasic}`, "Connection: Upgrade"]
  return [
    head([`GET ${streamPath} HTTP/1.1`, ...common, "Upgrade: websocket", "Sec-WebSocket-Version: 13"]),
    head([
      `GET ${streamPath} HTTP/1.1`,
      ...common,
      "Upgrade: websocket",
      "Sec-WebSocket-Version: 99",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    ]),
    head([
      `GET ${streamPath} HTTP/1.1`,
      ...common,
      "Upgrade: websocket",
      "Sec-WebSocket-Version: 13",
      "Sec-WebSocket-Key: short",
    ]),
    head([`POST ${streamPath} HTTP/1.1`, ...common, "Upgrade: websocket", "Sec-WebSocket-Version: 13"]),
    head([`GET ${streamPath} HTTP/1.1`, ...common, "Upgrade: h2c"]),
    head([`GET ${streamPath}?${"x".repeat(20_000)} HTTP/1.1`, ...common, "Upgrade: websocket"]),
    `GET ${streamPath} HTTP/1.1\r\n\u0000\u0001\u0002garbage\r\n\r\n`,
    "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003",
  ]
}

/** The first line the server answers a raw request with ("" if it only closed the connection). */
const rawAnswer = (port: number, request: string) =>
  Effect.async<string>((resume) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request, "latin1"))
    let answer = ""
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1")
    })
    socket.on("close", () => resume(Effect.succeed(answer.split("\r\n")[0] ?? "")))
    socket.on("error", () => undefined)
    socket.setTimeout(5_000, () => socket.destroy())
    return Effect.sync(() => socket.destroy())
  })

// ---- garbage frames

const odd = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.string({ unit: "binary", maxLength: 100 }),
  fc.constantFrom(
    null,
    "\u0000",
    "a\u0000b",
    "128kbps",
    -1,
    1e308,
    Number.NaN,
    "",
    [],
    {},
    "audio/x-mulaw",
    // An object String() cannot print: it once threw inside the Schema's union.
    { toString: 1, valueOf: 1 },
  ),
)
const maybe = <A>(arbitrary: fc.Arbitrary<A>) => fc.oneof(odd, arbitrary)
const shaped = fc
  .record(
    {
      event: fc.oneof(
        fc.constantFrom("connected", "start", "media", "dtmf", "mark", "stop", "clear", "dance", "", "START"),
        odd,
      ),
      sequence_number: odd,
      stream_sid: odd,
      start: maybe(
        fc.record(
          {
            call_sid: odd,
            stream_sid: odd,
            from: odd,
            custom_parameters: maybe(fc.dictionary(fc.string({ maxLength: 10 }), odd, { maxKeys: 5 })),
            media_format: maybe(
              fc.record({ encoding: odd, sample_rate: odd, bit_rate: odd }, { requiredKeys: [] }),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
      media: maybe(fc.record({ chunk: odd, timestamp: odd, payload: odd }, { requiredKeys: [] })),
      dtmf: maybe(fc.record({ digit: odd, duration: odd }, { requiredKeys: [] })),
      mark: maybe(fc.record({ name: odd }, { requiredKeys: [] })),
      stop: odd,
    },
    { requiredKeys: ["event"] },
  )
  .map((value) => JSON.stringify(value))

const frame: fc.Arbitrary<string | Buffer> = fc.oneof(
  { weight: 6, arbitrary: shaped },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 500 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 100, max: 100_000 }), fc.boolean())
      .map(([depth, arrays]) =>
        arrays ? "[".repeat(depth) + "]".repeat(depth) : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
      ),
  },
  // Looks like audio to the fast path, is not.
  {
    weight: 1,
    arbitrary: fc.string({ maxLength: 400 }).map((s) => `{"event":"media",${s}${" ".repeat(200)}}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .string({ maxLength: 100 })
      .map((s) => `{"event":"dtmf","dtmf":{"digit":${JSON.stringify(s)}}}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(50_000, 400_000, 1_100_000)
      .map((n) => `{"event":"media","media":{"payload":"${"A".repeat(n)}"}}`),
  },
)

/** How a stream may end: the caller's own close, a start refused (1007), a policy (1008), a frame too big (1009). */
const acceptedCloses = new Set([1000, 1007, 1008, 1009])

const restarts = counter("voice_session_restarts_total")

layer(gateway, { timeout, excludeTestServices: true })("the voice stream under garbage", (it) => {
  it.effect(
    `no garbage handshake gets in (seed ${seed})`,
    () =>
      Effect.gen(function* () {
        const { ws } = yield* GatewayUrl
        const port = Number(new URL(ws).port)
        const samples = fc.sample(handshake, { numRuns: handshakes, seed })
        const outcomes = yield* Effect.forEach(
          samples,
          (h) =>
            Effect.map(
              rawStream(`${ws}${h.path}?${h.query}`, {
                ...(h.authorization === undefined ? {} : { headers: { authorization: h.authorization } }),
                frames: opening("CA_fuzz_handshake", { flow: "line_test" }),
              }),
              (outcome) => ({ h, outcome }),
            ),
          { concurrency },
        )
        // Refused at the upgrade; or, for a handshake that presented nothing, let in only to prove itself in its
        // start, which names no credential here: closed with 1008 before a word of the line test is spoken.
        for (const { h, outcome } of outcomes) {
          if (outcome._tag === "Refused") expect(outcome.status, JSON.stringify(h)).toBeLessThan(500)
          else {
            expect(outcome.code, `seed ${seed}: ${JSON.stringify(h)} got in`).toBe(1008)
            expect(
              outcome.received.filter((f) => f.includes('"media"')),
              JSON.stringify(h),
            ).toEqual([])
          }
        }
        for (const request of brokenUpgrades(`127.0.0.1:${port}`)) {
          const line = yield* rawAnswer(port, request)
          expect(line, JSON.stringify(request.slice(0, 80))).toMatch(/^$|^HTTP\/1\.1 4\d\d/)
        }
      }),
    timeout,
  )

  it.effect(
    `garbage frames on authenticated streams end each stream cleanly (seed ${seed})`,
    () =>
      Effect.gen(function* () {
        const { stream } = yield* GatewayUrl
        const before = yield* restarts
        // Each stream's frames are drawn as it starts, and only what went wrong is kept: a long run holds neither
        // all its garbage nor every answer in memory.
        const streams = Array.from({ length: Math.ceil(frames / framesPerStream) }, (_, i) => i)
        const failures = yield* Effect.forEach(
          streams,
          (i) =>
            Effect.map(
              rawStream(stream, {
                // Two streams in three have started a line test first; the rest are garbage from the first frame.
                frames: [
                  ...(i % 3 === 2 ? [] : opening(`CA_fuzz_${i}`, { flow: "line_test", language: "en" })),
                  ...fc.sample(frame, { numRuns: framesPerStream, seed: seed + i }),
                ],
                closeAfterMs: 400,
              }),
              (outcome) =>
                outcome._tag === "Closed" && acceptedCloses.has(outcome.code)
                  ? []
                  : [`seed ${seed + i}, stream ${i}: ${JSON.stringify(outcome).slice(0, 300)}`],
            ),
          { concurrency },
        )
        expect(failures.flat()).toEqual([])
        const registry = yield* CallRegistry
        yield* eventually(registry.size, (n) => n === 0, "10 seconds")
        expect(yield* restarts).toBe(before)
      }),
    timeout,
  )

  it.effect(
    "afterwards the gateway is healthy, a line test works, and nothing was logged as an error",
    () =>
      Effect.gen(function* () {
        const { http, stream } = yield* GatewayUrl
        const health = yield* Effect.promise(() => fetch(`${http}/api/exotel/health`))
        expect(health.status).toBe(200)
        const call = yield* Effect.promise(() =>
          playCall({
            url: stream,
            customParameters: { flow: "line_test" },
            digits: [{ atMs: 300, digit: "4" }],
            hangupAtMs: 900,
          }),
        )
        expect(call.marks).toEqual(["digit-1"])
        const unhandled = logs.lines.filter(
          (l) =>
            l.level === "ERROR" ||
            l.level === "FATAL" ||
            l.message.includes("could not be handled") ||
            l.message.includes("Call session crashed"),
        )
        expect(unhandled).toEqual([])
      }),
    timeout,
  )
})
