// Secrets stay secret: a whole run with known, distinctive values for every secret the gateway holds (the
// Exotel key and token, the admin token, the secret key, an API key, the Nerve callback secret), then every log
// line the gateway wrote (at debug level) and every answer it gave is searched for each of them, in plain form
// and base64 (the Basic auth header form). The one answer allowed to carry a secret is the one that issues the
// API key: its token is shown that once, and only there.
import { HttpClient, HttpClientRequest, HttpServer } from "@effect/platform"
import { expect, layer } from "@effect/vitest"
import { Context, Effect, Layer, Logger, LogLevel, Option, Redacted, Schema } from "effect"
import { makeVoiceConfig, VoiceConfig } from "../../src/config/VoiceConfig.js"
import { ServeRoutesLive } from "../../src/gateway.js"
import { sign } from "../../src/http/handlers/NerveCallbackHandlers.js"
import { defaultSimulatorOptions, startExotelSimulator } from "../../src/sim/exotel/ExotelSimulator.js"
import { SimLedger } from "../../src/sim/exotel/ledger.js"
import { defaultExotelClientOptions, ExotelClientConfig } from "../../src/upstream/exotel/ExotelClient.js"
import { rawStream } from "../support/rawStream.js"
import { TestCoreLive, TestServerLive } from "../support/testGateway.js"
import { allowAll, eventually } from "../support/upstream.js"

const exotel = {
  apiKey: "exokey-Qz7Vw3Ry9Lp2Xc5N",
  apiToken: "exotok-Hm4Tb8Kd1Fs6Jg0W",
  accountSid: "secretsflow1",
}
const adminToken = "admtok-Ur3Ye5Wi7Oa9Ps2D"
const secretKey = "seckey-Gf6Hj8Kl1Zx3Cv5B"
const nerveSecret = "nrvsec-Nm7Qw9Er2Ty4Ui6O"
const streamAuth = { authKey: "strkey-Jd4Kf6Lg8Mh1Nb3V", authToken: "strtok-Pq2Wr4Et6Yu8Io0A" }

/** Every answer of the run: which request, and its status line, headers and body as text. */
interface Answer {
  readonly request: string
  readonly text: string
  /** The answer that issues the API key: the one place its token may appear. */
  readonly issuesApiKey: boolean
}

class Run extends Context.Tag("Run")<
  Run,
  {
    readonly logLines: Array<string>
    readonly answers: Array<Answer>
    readonly upstreamUrl: string
    readonly ledger: SimLedger
  }
>() {}

/** The Exotel upstream: a simulator that accepts only the known key and token. */
const upstream = Effect.gen(function* () {
  const ledger = new SimLedger()
  const sim = yield* startExotelSimulator(
    defaultSimulatorOptions(exotel, { port: 0, ledger, callbackDelayMs: 10 }),
  )
  return { url: sim.url, ledger }
})

const gateway = Layer.unwrapScoped(
  Effect.gen(function* () {
    const sim = yield* upstream
    const logLines: Array<string> = []
    // The format main.ts writes, into the test's hands.
    const captured = Logger.map(Logger.jsonLogger, (line) => {
      logLines.push(line)
    })
    const served = ServeRoutesLive.pipe(
      Layer.provideMerge(TestServerLive),
      Layer.provideMerge(
        TestCoreLive({
          adminToken: Option.some(Redacted.make(adminToken)),
          secretKey: Option.some(Redacted.make(secretKey)),
          dltEntityId: Option.some("1201159100000000001"),
        }).pipe(
          Layer.provide(
            Layer.succeed(
              VoiceConfig,
              makeVoiceConfig({ callbackSecret: Option.some(Redacted.make(nerveSecret)) }),
            ),
          ),
        ),
      ),
      Layer.provide(
        Layer.succeed(ExotelClientConfig, {
          ...defaultExotelClientOptions,
          timeout: "2 seconds",
          httpRetry: { ...defaultExotelClientOptions.httpRetry, maxAttempts: 1 },
        }),
      ),
      Layer.provide(
        Layer.merge(Logger.replace(Logger.defaultLogger, captured), Logger.minimumLogLevel(LogLevel.Debug)),
      ),
    )
    return Layer.merge(
      served,
      Layer.succeed(Run, { logLines, answers: [], upstreamUrl: sim.url, ledger: sim.ledger }),
    )
  }),
)

const JsonObject = Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Unknown }))

/** Sends one request, keeps its answer whole for the search, and gives back its status and JSON body. */
const exchange = (
  method: "GET" | "POST" | "PUT",
  path: string,
  options: {
    readonly token?: string
    readonly body?: string
    readonly headers?: Record<string, string>
    readonly issuesApiKey?: boolean
  } = {},
) =>
  Effect.gen(function* () {
    const run = yield* Run
    const client = yield* HttpClient.HttpClient
    const base = HttpClientRequest.make(method)(path).pipe(
      HttpClientRequest.setHeaders(options.headers ?? {}),
      options.token === undefined ? (r) => r : HttpClientRequest.bearerToken(options.token),
    )
    const request =
      options.body === undefined ? base : HttpClientRequest.bodyText(base, options.body, "application/json")
    const response = yield* client.execute(request)
    const text = yield* response.text
    const headers = Object.entries(response.headers).map(([name, value]) => `${name}: ${value}`)
    run.answers.push({
      request: `${method} ${path}`,
      text: [`HTTP ${response.status}`, ...headers, "", text].join("\n"),
      issuesApiKey: options.issuesApiKey ?? false,
    })
    const json = Schema.decodeUnknownOption(JsonObject)(text)
    return { status: response.status, body: Option.getOrElse(json, (): Record<string, unknown> => ({})) }
  }).pipe(Effect.scoped, Effect.orDie)

const asAdmin = { token: adminToken }
const json = (body: unknown) => JSON.stringify(body)

/** Each secret in the forms it could leak in. */
const forms = (name: string, secret: string) => [
  { name, form: "plain", value: secret },
  { name, form: "base64", value: Buffer.from(secret).toString("base64") },
  { name, form: "base64url", value: Buffer.from(secret).toString("base64url") },
]

layer(gateway, { timeout: 120_000, excludeTestServices: true })("secrets stay secret", (it) => {
  it.effect("no log line and no answer of a whole run carries a secret", () =>
    Effect.gen(function* () {
      const run = yield* Run
      const upstream = new URL(run.upstreamUrl)

      // The account, as an operator sets it. A service URL that carries the credentials is refused, and the
      // refusal does not repeat them; so is a token too long to be one.
      const withCredentials = `http://${exotel.apiKey}:${exotel.apiToken}@${upstream.host}`
      const inUrl = yield* exchange("PUT", "/api/exotel/config", {
        ...asAdmin,
        body: json({ serviceUrl: withCredentials }),
      })
      expect(inUrl.status).toBe(400)
      expect(inUrl.body.field).toBe("serviceUrl")
      const tooLong = yield* exchange("PUT", "/api/exotel/config", {
        ...asAdmin,
        body: json({ apiKey: exotel.apiKey, apiToken: `${exotel.apiToken}${"x".repeat(300)}` }),
      })
      expect(tooLong.status).toBe(400)
      const configured = yield* exchange("PUT", "/api/exotel/config", {
        ...asAdmin,
        body: json({ serviceUrl: run.upstreamUrl, ...exotel, defaultExoPhone: "08040000000" }),
      })
      expect(configured.status).toBe(200)
      expect(configured.body).toMatchObject({ apiKey: "****Xc5N", upstream: "exotel" })
      // The voice stream's Basic credential, refused when malformed, then set, and streams dialled with it.
      for (const bad of [{ authToken: `${streamAuth.authToken}${"x".repeat(300)}` }, { authKey: 7 }])
        expect(
          (yield* exchange("PUT", "/api/exotel/config/voice-stream", { ...asAdmin, body: json(bad) })).status,
        ).toBe(400)
      const streamSet = yield* exchange("PUT", "/api/exotel/config/voice-stream", {
        ...asAdmin,
        body: json(streamAuth),
      })
      expect(streamSet.body).toMatchObject({ authKey: "****Nb3V", authToken: "****Io0A" })
      const address = (yield* HttpServer.HttpServer).address
      const port = address._tag === "TcpAddress" ? address.port : 0
      const streamAt = (key: string, token: string) =>
        `ws://${key}:${token}@127.0.0.1:${port}/api/exotel/voice-stream`
      const wrongStream = yield* rawStream(streamAt(streamAuth.authKey, `${streamAuth.authToken}-not-quite`))
      expect(wrongStream).toMatchObject({ _tag: "Refused", status: 401 })
      const rightStream = yield* rawStream(streamAt(streamAuth.authKey, streamAuth.authToken))
      expect(rightStream._tag).toBe("Closed")
      const timing = yield* exchange("PUT", "/api/exotel/config/timing", { ...asAdmin, body: json(allowAll) })
      expect(timing.status).toBe(200)

      // An operator key, issued once.
      const issued = yield* exchange("POST", "/api/exotel/api-keys", {
        ...asAdmin,
        body: json({ name: "dispatch desk", role: "operator" }),
        issuesApiKey: true,
      })
      expect(issued.status).toBe(201)
      const apiKey = String(issued.body.key)
      const asOperator = { token: apiKey }

      // Calls and SMS through the simulator, which answers only the right Basic credentials.
      const call = yield* exchange("POST", "/api/exotel/click-to-call", {
        ...asOperator,
        body: json({ agentPhone: "+919876500001", customerPhone: "+919123456789", customField: "ORDER-9" }),
      })
      expect(call.status).toBe(200)
      const callSid = String(call.body.callSid)
      yield* eventually(
        exchange("GET", `/api/exotel/calls/${callSid}`, asOperator),
        (answer) => answer.body.status === "completed",
      )
      const refused = yield* exchange("POST", "/api/exotel/click-to-call", {
        ...asOperator,
        body: json({ agentPhone: "+919876500001", customerPhone: "+919123456998" }),
      })
      expect(refused.status).toBeGreaterThanOrEqual(400)
      const sendSms = (to: string, message: string) =>
        exchange("POST", "/api/exotel/sms/send", {
          ...asOperator,
          body: json({ to, message, dltTemplateId: "1207160000000000001" }),
        })
      const sms = yield* sendSms("+919123456789", "Your order is on its way")
      expect(sms.status).toBe(200)
      const smsDown = yield* sendSms("+919123456997", "Your order is late")
      expect(smsDown.status).toBeGreaterThanOrEqual(400)

      // A vendor confirmation, then Nerve's signed callback about it, and one forged without the secret.
      const vendor = yield* exchange("POST", "/api/exotel/nerve/vendor/confirm", {
        ...asOperator,
        body: json({
          orderId: 9001,
          vendorId: 7,
          vendorPhone: "+919876500002",
          vendorName: "Sharma Dhaba",
          orderAmount: 450,
          language: "en",
        }),
      })
      expect(vendor.status).toBe(200)
      const callback = json({ call_id: vendor.body.callId, call_sid: vendor.body.callSid, event: "answered" })
      const signed = yield* exchange("POST", "/api/exotel/nerve/callback", {
        body: callback,
        headers: { "x-nerve-signature": sign(nerveSecret, callback) },
      })
      expect(signed.status).toBe(200)
      const forgedBody = json({ call_id: vendor.body.callId, event: "accepted", dtmf_digits: "1" })
      const forged = yield* exchange("POST", "/api/exotel/nerve/callback", {
        body: forgedBody,
        headers: { "x-nerve-signature": "sha256=00" },
      })
      expect(forged.status).toBe(401)

      // Wrong tokens: one that begins with the admin token, so an echo of it would show the real one.
      const wrong = yield* exchange("GET", "/api/exotel/config", { token: `${adminToken}-not-quite` })
      expect(wrong.status).toBe(401)
      const none = yield* exchange("GET", "/api/exotel/config", { token: "guess" })
      expect(none.status).toBe(401)
      const tooWeak = yield* exchange("GET", "/api/exotel/config", asOperator)
      expect(tooWeak.status).toBe(403)

      // Everything there is to read.
      const config = yield* exchange("GET", "/api/exotel/config", asAdmin)
      expect(config.status).toBe(200)
      for (const path of [
        "/api/exotel/health",
        "/api/exotel/status",
        "/api/exotel/metrics",
        "/api/exotel/api-keys",
        "/api/exotel/calls",
        "/api/exotel/calls/stats",
        `/api/exotel/nerve/calls/order/9001`,
        "/api/exotel/nerve/calls/stats",
        "/api/exotel/nerve/health",
        "/api/exotel/scheduled-calls/stats/summary",
        "/api/exotel/cqa/stats",
        "/api/exotel/config/features",
        "/api/exotel/config/voice-stream",
        "/api/docs/openapi.json",
        "/api/docs",
      ]) {
        const answer = yield* exchange("GET", path, asAdmin)
        expect(answer.status, path).toBe(200)
      }

      // The tokens the gateway put in its calls' StreamUrls: for Exotel's eyes only.
      const streamTokens = run.ledger
        .accepted("call")
        .flatMap((entry) => {
          const url = entry.fields.StreamUrl
          return url === undefined ? [] : [new URL(String(url)).searchParams.get("token") ?? ""]
        })
        .filter((token) => token.length > 0)
      expect(streamTokens.length).toBeGreaterThanOrEqual(1)

      // The run reached the upstream with the credentials, and the gateway logged it at debug level.
      expect(run.ledger.accepted("call").length).toBeGreaterThanOrEqual(2)
      expect(run.ledger.accepted("sms").length).toBeGreaterThanOrEqual(1)
      expect(run.logLines.some((line) => line.includes('"DEBUG"'))).toBe(true)
      expect(run.logLines.filter((line) => line.includes('"request"')).length).toBeGreaterThan(20)

      const secrets = [
        ...forms("Exotel API key", exotel.apiKey),
        ...forms("Exotel API token", exotel.apiToken),
        ...forms("Exotel Basic credentials", `${exotel.apiKey}:${exotel.apiToken}`),
        ...forms("admin token", adminToken),
        ...forms("secret key", secretKey),
        ...forms("API key", apiKey),
        ...forms("Nerve callback secret", nerveSecret),
        ...forms("stream key", streamAuth.authKey),
        ...forms("stream token", streamAuth.authToken),
        ...forms("stream Basic credentials", `${streamAuth.authKey}:${streamAuth.authToken}`),
        ...streamTokens.map((token) => ({
          name: "a call's voice-stream token",
          form: "base64url",
          value: token,
        })),
        { name: "signature of the forged callback", form: "hex", value: sign(nerveSecret, forgedBody) },
      ]
      const leaks = [
        ...run.logLines.map((text, i) => ({ where: `log line ${i}`, text, issuesApiKey: false })),
        ...run.answers.map((answer) => ({ where: `answer to ${answer.request}`, ...answer })),
      ].flatMap(({ where, text, issuesApiKey }) =>
        secrets
          .filter(({ name, value }) => text.includes(value) && !(issuesApiKey && name === "API key"))
          .map(({ name, form }) => `${name} (${form}) in ${where}`),
      )
      expect(leaks).toEqual([])
      // The search finds what it looks for: the one answer that may show the API key does.
      expect(run.answers.filter((answer) => answer.text.includes(apiKey)).map((a) => a.request)).toEqual([
        "POST /api/exotel/api-keys",
      ])
    }),
  )
})
