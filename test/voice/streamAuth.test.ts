// Every door of the voice stream tried without credentials and with wrong ones (issue 12): the stream of the
// issue's "Why" — a plain client naming flow=vendor_confirmation and orderId=777, then pressing 1 — is refused
// at the upgrade and leaves nothing behind; the streams of calls the gateway places, announced streams and
// Basic-authenticated flows still work end to end, and never take an order from their own parameters.
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { SimulatedCalleesLive } from "../../src/sim/streamCaller/SimulatedCallees.js"
import { playCall } from "../../src/sim/streamCaller/StreamCaller.js"
import { captureLogs, type LogLine } from "../support/capturedLogs.js"
import { counter, counterIn, metricsText } from "../support/metrics.js"
import { dtmf, opening, type RawOutcome, rawStream } from "../support/rawStream.js"
import { streamAuth } from "../support/testGateway.js"
import { eventually, get, ledger, post, put } from "../support/upstream.js"
import { GatewayUrl, VoiceTestGateway } from "../support/voiceGateway.js"
import { type ReceivedWebhook, webhookReceiver } from "../support/webhookReceiver.js"

class Seen extends Context.Tag("Seen")<
  Seen,
  { readonly webhooks: Array<ReceivedWebhook>; readonly logs: ReadonlyArray<LogLine> }
>() {}

const Gateway = Layer.unwrapScoped(
  Effect.map(webhookReceiver(), (hooks) => {
    const logs = captureLogs()
    const gateway = VoiceTestGateway(() => ({}), { webhookUrls: [hooks.url] }).pipe(
      Layer.provide(SimulatedCalleesLive),
      Layer.provide(logs.layer),
    )
    return Layer.merge(gateway, Layer.succeed(Seen, { webhooks: hooks.received, logs: logs.lines }))
  }),
)

const streamPath = "/api/exotel/voice-stream"
const issueQuery = "?flow=vendor_confirmation&orderId=777"
const issueFrames = [...opening("CA_issue_777", { flow: "vendor_confirmation", orderId: "777" }), dtmf("1")]
const basic = (key: string, token: string) => `Basic ${Buffer.from(`${key}:${token}`).toString("base64")}`
const rightBasic = basic(streamAuth.key, streamAuth.token)

const refusedWith = (status: number) => (outcome: RawOutcome) =>
  expect(outcome, JSON.stringify(outcome)).toMatchObject({ _tag: "Refused", status })

/** Let in at the handshake, then closed at its start for proving nothing: 1008, and no word of a session. */
const closedForNoProof = (outcome: RawOutcome) => {
  expect(outcome, JSON.stringify(outcome)).toMatchObject({
    _tag: "Closed",
    code: 1008,
    reason: expect.stringContaining("credential required"),
  })
  if (outcome._tag === "Closed") expect(outcome.received.filter((f) => f.includes('"media"'))).toEqual([])
}

/** Everything the gateway keeps about an order: voice_calls rows, and what GET /nerve/calls/order shows. */
const traceOf = (orderId: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{
      n: number
    }>`SELECT COUNT(*)::int AS n FROM voice_calls WHERE order_id = ${orderId}`
    const byOrder = yield* get(`/nerve/calls/order/${orderId}`)
    return { rows: rows[0]?.n, calls: byOrder.body.calls }
  })

const nothingFor = (orderId: number) =>
  Effect.map(traceOf(orderId), (trace) => expect(trace).toEqual({ rows: 0, calls: [] }))

const refusedCount = (reason: string) => counter("voice_stream_handshakes_refused_total", { reason })

const vendorConfirm = (orderId: number) =>
  Effect.map(
    post("/nerve/vendor/confirm", {
      orderId,
      vendorId: 7,
      vendorPhone: "919876543210",
      vendorName: "Sharma Dhaba",
      orderAmount: 450,
      language: "en",
    }),
    (r) => {
      expect(r.status, JSON.stringify(r.body)).toBe(200)
      return r.body
    },
  )

/** The order's calls once its call has ended: accepted with a prep time, rejected, or how the line ended. */
const ended = (orderId: number) =>
  eventually(
    get(`/nerve/calls/order/${orderId}`),
    (r) =>
      /"status":"(prep_time_set|rejected|completed|failed|busy|no_response)"/.test(JSON.stringify(r.body)),
    "30 seconds",
  )

/** Every URL and credential a test handed out, for the search of the log. */
const secretsUsed: Array<string> = [streamAuth.key, streamAuth.token, rightBasic.slice("Basic ".length)]

layer(Gateway, { timeout: 120_000, excludeTestServices: true })("the voice stream's doors", (it) => {
  it.effect(
    "the issue's stream, with no credential, is refused (at its start when its handshake named nothing) and leaves nothing behind",
    () =>
      Effect.gen(function* () {
        const { ws } = yield* GatewayUrl
        const before = yield* refusedCount("no_credential")
        // Named nothing at the handshake: let in only to prove itself in its start, which it cannot.
        closedForNoProof(yield* rawStream(`${ws}${streamPath}${issueQuery}`, { frames: issueFrames }))
        closedForNoProof(yield* rawStream(`${ws}${streamPath}`, { frames: issueFrames }))
        // Named a session or a call without its token: refused at the upgrade.
        refusedWith(401)(yield* rawStream(`${ws}${streamPath}?sessionId=anything`, { frames: issueFrames }))
        refusedWith(401)(yield* rawStream(`${ws}${streamPath}?callId=VC_777_1_abc`, { frames: issueFrames }))
        expect((yield* refusedCount("no_credential")) - before).toBe(4)
        yield* nothingFor(777)
      }),
  )

  it.effect(
    "a start whose custom parameters carry a wrong or partial credential is closed, and leaves nothing behind",
    () =>
      Effect.gen(function* () {
        const { ws } = yield* GatewayUrl
        const before = yield* refusedCount("wrong_credential")
        for (const parameters of [
          { callId: "VC_777_1_abc", token: "AAAAAAAAAAAAAAAAAAAAAA" },
          { sessionId: "s777", token: "AAAAAAAAAAAAAAAAAAAAAA" },
        ]) {
          const frames = [
            ...opening("CA_issue_777", { ...parameters, flow: "vendor_confirmation", orderId: "777" }),
            dtmf("1"),
          ]
          closedForNoProof(yield* rawStream(`${ws}${streamPath}`, { frames }))
        }
        expect((yield* refusedCount("wrong_credential")) - before).toBe(2)
        const partial = [...opening("CA_issue_777", { callId: "VC_777_1_abc" }), dtmf("1")]
        closedForNoProof(yield* rawStream(`${ws}${streamPath}`, { frames: partial }))
        yield* nothingFor(777)
      }),
  )

  it.effect(
    "wrong credentials are refused too: a wrong key or token, a malformed header, a bearer token",
    () =>
      Effect.gen(function* () {
        const { ws } = yield* GatewayUrl
        const url = `${ws}${streamPath}${issueQuery}`
        const wrong = [
          basic(streamAuth.key, "not-the-token"),
          basic("not-the-key", streamAuth.token),
          basic(streamAuth.key, `${streamAuth.token} `),
          "Basic",
          "Basic ####",
          `Basic ${Buffer.from(streamAuth.token).toString("base64")}`,
          "Bearer test-admin-token-0123456789abcdef",
          `Digest username="${streamAuth.key}"`,
        ]
        for (const authorization of wrong)
          refusedWith(401)(yield* rawStream(url, { headers: { authorization }, frames: issueFrames }))
        refusedWith(401)(
          yield* rawStream(`${ws}${streamPath}?callId=VC_777_1_abc&token=AAAAAAAAAAAAAAAAAAAAAA`, {
            frames: issueFrames,
          }),
        )
        refusedWith(401)(
          yield* rawStream(`${ws}${streamPath}?sessionId=s777&token=AAAAAAAAAAAAAAAAAAAAAA`, {
            frames: issueFrames,
          }),
        )
        refusedWith(401)(
          yield* rawStream(`ws://nobody:nothing@${ws.slice("ws://".length)}${streamPath}`, {
            frames: issueFrames,
          }),
        )
        yield* nothingFor(777)
      }),
  )

  it.effect(
    "a flow's stream with the right Basic credential still cannot name an order, even with inbound flows on",
    () =>
      Effect.gen(function* () {
        const { ws } = yield* GatewayUrl
        for (const inboundFlowsEnabled of [false, true]) {
          expect((yield* put("/config/voice-stream", { inboundFlowsEnabled })).status).toBe(200)
          const outcome = yield* rawStream(`${ws}${streamPath}${issueQuery}`, {
            headers: { authorization: rightBasic },
            frames: issueFrames,
            closeAfterMs: 10_000,
          })
          expect(outcome).toMatchObject({ _tag: "Closed", code: 1000 })
          if (outcome._tag === "Closed") {
            expect(outcome.reason).toContain("needs a stream expectation")
            expect(outcome.received.some((m) => m.includes('"name":"apology"'))).toBe(true)
          }
        }
        yield* put("/config/voice-stream", { inboundFlowsEnabled: false })
        yield* nothingFor(777)
      }),
  )

  it.effect(
    "a call the gateway places streams with its own credential; its StreamUrl tampered with is refused",
    () =>
      Effect.gen(function* () {
        const placed = yield* vendorConfirm(4243)
        const calls = yield* ended(4243)
        expect(calls.body).toMatchObject({ calls: [{ status: "prep_time_set", prepTimeMinutes: 25 }] })
        const connect = (yield* ledger)
          .accepted("call")
          .find((entry) => String(entry.fields.StreamUrl).includes(String(placed.callId)))
        const streamUrl = new URL(String(connect?.fields.StreamUrl))
        expect([...streamUrl.searchParams.keys()]).toEqual(["callId", "token"])
        const token = streamUrl.searchParams.get("token") ?? ""
        secretsUsed.push(token)
        const base = `${streamUrl.origin}${streamUrl.pathname}`
        const other = `VC_4243_${Date.now()}_000000`
        for (const tampered of [
          `${base}?callId=${placed.callId}`,
          `${base}?callId=${placed.callId}&token=${token.replace(/^./, (c) => (c === "A" ? "B" : "A"))}`,
          `${base}?callId=${other}&token=${token}`,
          `${base}?sessionId=${placed.callId}&token=${token}`,
          `${base}?token=${token}`,
        ])
          refusedWith(401)(
            yield* rawStream(tampered, { frames: opening("CA_tampered", { flow: "line_test" }) }),
          )
        // The call's own URL still opens (its call is over, so it is told so and hung up on).
        const again = yield* rawStream(streamUrl.href, { frames: opening("CA_again"), closeAfterMs: 10_000 })
        expect(again).toMatchObject({ _tag: "Closed", code: 1000 })
      }),
  )

  it.effect(
    "an announced stream runs the flow and the order of its expectation, whatever its own parameters say",
    () =>
      Effect.gen(function* () {
        const expectation = (sessionId: string, orderId?: number) =>
          post("/voice-stream/start", {
            sessionId,
            phone: "+919812340001",
            language: "en-IN",
            flow: "vendor_confirmation",
            ...(orderId === undefined ? {} : { orderId }),
          })
        const off = yield* expectation("vc_off", 4244)
        expect(off.status).toBe(403)
        expect(String(off.body.message)).toContain("exotel-stream-inbound-flows-enabled")
        yield* put("/config/voice-stream", { inboundFlowsEnabled: true })
        const noOrder = yield* expectation("vc_no_order")
        expect(noOrder).toMatchObject({ status: 400, body: { field: "orderId" } })

        const started = yield* expectation("vc_4244", 4244)
        expect(started.status).toBe(200)
        const wsUrl = new URL(String(started.body.wsUrl))
        expect([...wsUrl.searchParams.keys()]).toEqual(["sessionId", "token"])
        secretsUsed.push(wsUrl.searchParams.get("token") ?? "")
        // Another session's token, and this session's URL with the token gone, are refused.
        const token = wsUrl.searchParams.get("token") ?? ""
        refusedWith(401)(
          yield* rawStream(`${wsUrl.origin}${wsUrl.pathname}?sessionId=vc_other&token=${token}`),
        )
        refusedWith(401)(yield* rawStream(`${wsUrl.origin}${wsUrl.pathname}?sessionId=vc_4244`))

        const call = yield* Effect.promise(() =>
          playCall({
            url: wsUrl.href,
            customParameters: { flow: "rider_assignment", orderId: "777", sessionId: "vc_other" },
            digits: [
              { atMs: 400, digit: "1" },
              { atMs: 900, digit: "3" },
              { atMs: 1000, digit: "0" },
              { atMs: 1100, digit: "#" },
            ],
            maxMs: 30_000,
          }),
        )
        expect(call.closedBy).toBe("gateway")
        const rows = yield* ended(4244)
        expect(rows.body).toMatchObject({
          calls: [
            {
              status: "prep_time_set",
              callType: "vendor_confirmation",
              prepTimeMinutes: 30,
              phoneNumber: "+919812340001",
            },
          ],
        })

        // A Basic-authenticated flow may name an expectation too.
        expect((yield* expectation("vc_4245", 4245)).status).toBe(200)
        const { stream } = yield* GatewayUrl
        yield* Effect.promise(() =>
          playCall({
            url: `${stream}?sessionId=vc_4245`,
            customParameters: { orderId: "777" },
            digits: [
              { atMs: 400, digit: "2" },
              { atMs: 800, digit: "3" },
            ],
            maxMs: 30_000,
          }),
        )
        const rejected = yield* ended(4245)
        expect(rejected.body).toMatchObject({ calls: [{ status: "rejected", rejectionReason: "too_busy" }] })
        yield* put("/config/voice-stream", { inboundFlowsEnabled: false })
        yield* nothingFor(777)
      }),
  )

  it.effect("a stream from outside the allow-list is refused with 403, whatever its credential", () =>
    Effect.gen(function* () {
      const { stream } = yield* GatewayUrl
      const listed = yield* put("/config/voice-stream", { allowedSources: ["203.0.113.0/24"] })
      expect(listed).toMatchObject({ status: 200, body: { allowedSources: ["203.0.113.0/24"] } })
      refusedWith(403)(yield* rawStream(stream, { frames: opening("CA_outside", { flow: "line_test" }) }))
      expect((yield* put("/config/voice-stream", { allowedSources: ["nowhere"] })).status).toBe(400)
      yield* put("/config/voice-stream", { allowedSources: ["127.0.0.0/8"] })
      const inside = yield* rawStream(stream, { frames: opening("CA_inside", { flow: "line_test" }) })
      expect(inside).toMatchObject({ _tag: "Closed", code: 1000 })
      yield* put("/config/voice-stream", { allowedSources: [] })
    }),
  )

  it.effect(
    "the stream credential is kept sealed and shown masked; without it no flow-opened stream gets in",
    () =>
      Effect.gen(function* () {
        const view = yield* get("/config/voice-stream")
        expect(view.body).toMatchObject({
          authKey: "****-key",
          authToken: "****6789",
          inboundFlowsEnabled: false,
        })
        const sql = yield* SqlClient.SqlClient
        const stored = yield* sql<{ value: string; encrypted: boolean }>`
        SELECT value, encrypted FROM system_settings WHERE key LIKE 'exotel-stream-auth-%'`
        expect(stored).toHaveLength(2)
        for (const row of stored) {
          expect(row.encrypted).toBe(true)
          expect(row.value).not.toContain(streamAuth.token)
        }
        const { stream } = yield* GatewayUrl
        yield* put("/config/voice-stream", { authToken: null })
        refusedWith(401)(yield* rawStream(stream, { frames: opening("CA_unset", { flow: "line_test" }) }))
        yield* put("/config/voice-stream", { authToken: streamAuth.token })
        const back = yield* rawStream(stream, { frames: opening("CA_reset", { flow: "line_test" }) })
        expect(back).toMatchObject({ _tag: "Closed", code: 1000 })
      }),
  )

  it.effect(
    "refusals are counted by reason and logged without any credential; no webhook names order 777",
    () =>
      Effect.gen(function* () {
        const text = yield* metricsText
        for (const reason of [
          "no_credential",
          "wrong_credential",
          "malformed_credential",
          "source_not_allowed",
        ])
          expect(counterIn(text, "voice_stream_handshakes_refused_total", { reason })).toBeGreaterThan(0)
        const seen = yield* Seen
        const { webhooks } = seen
        const logs = seen.logs.map((line) => JSON.stringify(line))
        const refusals = logs.filter((l) => l.includes("refused at the handshake"))
        expect(refusals.length).toBeGreaterThan(10)
        expect(refusals.every((l) => l.includes(`"path":"${streamPath}"`))).toBe(true)
        for (const secret of secretsUsed.filter((s) => s.length > 0))
          expect(logs.filter((l) => l.includes(secret))).toEqual([])
        // The accepted orders' webhooks have arrived; none names the refused one.
        yield* eventually(
          Effect.sync(() => webhooks.filter((w) => JSON.stringify(w.body).includes('"VENDOR_ACCEPTED"'))),
          (w) => w.length >= 2,
          "10 seconds",
        )
        expect(webhooks.filter((w) => JSON.stringify(w.body).includes('"orderId":777'))).toEqual([])
      }),
  )
})
