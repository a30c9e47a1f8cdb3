// An Exotel Cloud simulator on a loopback port: the same paths, basic auth, form and JSON bodies, response
// JSON and RestException shape as Exotel, deterministic scenarios by destination number (scenarios.ts), status
// callbacks to each request's StatusCallback, and a ledger of every request.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { Context, Effect, FiberSet } from "effect"
import { exotelTimestamp } from "../../domain/exotel/wire.js"
import { type AccountRateLimit, AccountWindow, exotelAccountLimit } from "./accountRateLimit.js"
import { type LedgerKind, SimLedger } from "./ledger.js"
import { isRecordingName, type RecordingName, recordingFor, recordingWav } from "./recordings.js"
import {
  callDetailsRefusal,
  callListRefusal,
  connectCallRefusal,
  greenVnAllocationRefusal,
  readBulkSend,
  sendSmsRefusal,
  whatsAppRefusal,
} from "./requiredParameters.js"
import { type Scenario, scenarioFor, terminalCallStatus, terminalSmsStatus } from "./scenarios.js"
import { isLoopback, list, parseFields, refusalOf, restException, sid, text } from "./wireFormat.js"

/** What the simulator knows of a Connect Voice AI call whose request carried a StreamUrl. */
export interface StreamedCall {
  readonly callSid: string
  readonly accountSid: string
  readonly from: string
  readonly callerId: string
  readonly streamUrl: string
  readonly customField: string | undefined
}

/**
 * The seam for the live-voice work (issue 4): when a Calls/connect request carries a StreamUrl, the simulator
 * hands the call to this dialer, which plays Exotel's side of the voice-stream WebSocket. The default does
 * nothing, so the simulator runs without a stream client; provide a real one as a layer to replace it.
 */
export class SimStreamDialer extends Context.Reference<SimStreamDialer>()("SimStreamDialer", {
  defaultValue: () => ({ dial: (_call: StreamedCall): Effect.Effect<void> => Effect.void }),
}) {}

export interface SimulatorOptions {
  readonly port: number
  readonly credentials: { readonly apiKey: string; readonly apiToken: string; readonly accountSid: string }
  /** How long the "slow" scenario takes to answer. */
  readonly slowMs: number
  /** Delay between the answer and each status callback. */
  readonly callbackDelayMs: number
  /** Shared across restarts so a test sees every request, before and after the upstream went down. */
  readonly ledger: SimLedger
  /** The account's limit, as Exotel keeps it (200 a rolling minute); 0 requests: off, for benchmarks of other things. */
  readonly rateLimit: AccountRateLimit
}

export interface ExotelSimulatorHandle {
  readonly url: string
  readonly port: number
  readonly ledger: SimLedger
}

interface SimCall {
  readonly sid: string
  status: string
  readonly from: string
  readonly to: string
  readonly callerId: string
  readonly createdAt: number
  endedAt: number | null
  duration: number | null
  recordingUrl: string | null
  readonly recording: RecordingName
}

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    request.on("error", reject)
  })

/** Starts the simulator; it stops (connections and pending callbacks too) when the scope closes. */
export const startExotelSimulator = (options: SimulatorOptions) =>
  Effect.gen(function* () {
    const dialer = yield* SimStreamDialer
    const run = yield* FiberSet.makeRuntime<never>()
    const calls = new Map<string, SimCall>()
    const rateLimited = new Set<string>()
    const accountWindow = new AccountWindow(options.rateLimit)
    const { ledger, credentials } = options
    const expectedAuth = `Basic ${Buffer.from(`${credentials.apiKey}:${credentials.apiToken}`).toString("base64")}`
    let base = ""
    let nextVn = 0

    const postCallback = (url: string, fields: Record<string, string>, encoding: "form" | "json" = "form") =>
      Effect.gen(function* () {
        if (!isLoopback(url)) {
          ledger.record({ at: Date.now(), kind: "callback", method: "POST", path: url, fields, status: 0 })
          return
        }
        const status = yield* Effect.tryPromise(() =>
          fetch(url, {
            method: "POST",
            headers: {
              "content-type": encoding === "json" ? "application/json" : "application/x-www-form-urlencoded",
            },
            body: encoding === "json" ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
          }).then(async (r) => {
            await r.arrayBuffer()
            return r.status
          }),
        ).pipe(Effect.orElseSucceed(() => 0))
        ledger.record({ at: Date.now(), kind: "callback", method: "POST", path: url, fields, status })
      })

    const later = (effect: Effect.Effect<void>) => {
      run(Effect.sleep(options.callbackDelayMs).pipe(Effect.zipRight(effect)))
    }

    const callJson = (call: SimCall) => ({
      Call: {
        Sid: call.sid,
        ParentCallSid: null,
        DateCreated: exotelTimestamp(call.createdAt),
        DateUpdated: exotelTimestamp(call.endedAt ?? call.createdAt),
        AccountSid: credentials.accountSid,
        To: call.to,
        From: call.from,
        PhoneNumberSid: call.callerId,
        Status: call.status,
        StartTime: exotelTimestamp(call.createdAt),
        EndTime: call.endedAt === null ? null : exotelTimestamp(call.endedAt),
        Duration: call.duration,
        Price: null,
        Direction: "outbound-api",
        AnsweredBy: null,
        ForwardedFrom: null,
        CallerName: null,
        Uri: `/v1/Accounts/${credentials.accountSid}/Calls/${call.sid}.json`,
        RecordingUrl: call.recordingUrl,
      },
    })

    const connectCall = (fields: unknown) => {
      const missing = connectCallRefusal(fields)
      if (missing !== undefined) return missing
      const from = text(fields, "From") ?? ""
      const callerId = text(fields, "CallerId") ?? ""
      const to = text(fields, "To")
      const streamUrl = text(fields, "StreamUrl")
      const destination = to ?? from
      const scenario = scenarioFor(destination)
      const refusal = refusalOf(scenario, destination, rateLimited)
      if (refusal !== undefined) return refusal
      const now = Date.now()
      const call: SimCall = {
        sid: sid(),
        status: "in-progress",
        from,
        to: to ?? callerId,
        callerId,
        createdAt: now,
        endedAt: null,
        duration: null,
        recordingUrl: null,
        recording: recordingFor(destination),
      }
      calls.set(call.sid, call)
      const terminal = terminalCallStatus(scenario)
      const record = text(fields, "Record") === "true"
      const callback = text(fields, "StatusCallback")
      const events = list(fields, "StatusCallbackEvents[]")
      const customField = text(fields, "CustomField")
      later(
        Effect.gen(function* () {
          if (callback !== undefined && terminal === "completed" && events.includes("answered")) {
            yield* postCallback(callback, {
              CallSid: call.sid,
              Status: "in-progress",
              EventType: "answered",
              DateUpdated: exotelTimestamp(Date.now()),
            })
          }
          // A streamed call lasts as long as its stream: the terminal callback follows the conversation, as
          // Exotel's does, and never arrives while the voice flow is still talking.
          if (streamUrl !== undefined && terminal === "completed") {
            yield* dialer.dial({
              callSid: call.sid,
              accountSid: credentials.accountSid,
              from,
              callerId,
              streamUrl,
              customField,
            })
          }
          call.status = terminal
          call.endedAt = Date.now()
          call.duration = terminal === "completed" ? 42 : 0
          call.recordingUrl = record && terminal === "completed" ? `${base}/recordings/${call.sid}.wav` : null
          if (callback === undefined) return
          yield* postCallback(callback, {
            CallSid: call.sid,
            Status: terminal,
            EventType: "terminal",
            RecordingUrl: call.recordingUrl ?? "",
            DateUpdated: exotelTimestamp(call.endedAt),
            DateCreated: exotelTimestamp(call.createdAt),
            From: call.from,
            To: call.to,
            PhoneNumberSid: callerId,
            ConversationDuration: String(call.duration),
            Direction: "outbound-api",
            ...(customField === undefined ? {} : { CustomField: customField }),
          })
        }),
      )
      return { status: 200, body: callJson(call), delayMs: scenario === "slow" ? options.slowMs : 0 }
    }

    const smsJson = (smsSid: string, to: string, from: string, body: string, now: number) => ({
      SMSMessage: {
        Sid: smsSid,
        AccountSid: credentials.accountSid,
        From: from,
        To: to,
        DateCreated: exotelTimestamp(now),
        DateUpdated: exotelTimestamp(now),
        DateSent: null,
        Body: body,
        Direction: "outbound-api",
        Uri: `/v1/Accounts/${credentials.accountSid}/SMS/Messages/${smsSid}.json`,
        ApiVersion: null,
        Price: null,
        Status: "queued",
        DetailedStatusCode: 21010,
        DetailedStatus: "PENDING_TO_OPERATOR",
        SmsUnits: null,
      },
    })

    const smsCallback = (smsSid: string, to: string, scenario: Scenario, fields: unknown) => {
      const callback = text(fields, "StatusCallback")
      if (callback === undefined) return
      const status = terminalSmsStatus(scenario)
      const customField = text(fields, "CustomField")
      later(
        postCallback(callback, {
          SmsSid: smsSid,
          To: to,
          Status: status,
          SmsUnits: "1",
          DetailedStatus:
            status === "sent" ? "DELIVERED_TO_HANDSET" : status === "failed_dnd" ? "FAILED_DND" : "FAILED",
          DetailedStatusCode: status === "sent" ? "20005" : status === "failed_dnd" ? "23005" : "23010",
          DateSent: exotelTimestamp(Date.now()),
          ...(customField === undefined ? {} : { CustomField: customField }),
        }),
      )
    }

    const sendSms = (fields: unknown) => {
      const missing = sendSmsRefusal(fields)
      if (missing !== undefined) return missing
      const to = text(fields, "To") ?? ""
      const body = text(fields, "Body") ?? ""
      const scenario = scenarioFor(to)
      const refusal = refusalOf(scenario, to, rateLimited)
      if (refusal !== undefined) return refusal
      const smsSid = sid()
      smsCallback(smsSid, to, scenario, fields)
      return {
        status: 200,
        body: smsJson(smsSid, to, text(fields, "From") ?? "", body, Date.now()),
        delayMs: scenario === "slow" ? options.slowMs : 0,
      }
    }

    // Throttling and outages refuse a whole request, not one recipient: in a request to many destinations, the
    // first one naming such a scenario decides; the slow scenario slows the whole answer.
    const requestLevel: ReadonlyArray<Scenario> = ["rate-limited-once", "rate-limited", "unavailable"]
    const requestRefusal = (destinations: ReadonlyArray<string>) => {
      const decisive = destinations.find((d) => requestLevel.includes(scenarioFor(d)))
      return decisive === undefined ? undefined : refusalOf(scenarioFor(decisive), decisive, rateLimited)
    }
    const requestDelay = (destinations: ReadonlyArray<string>) =>
      destinations.some((d) => scenarioFor(d) === "slow") ? options.slowMs : 0

    const bulkSms = (fields: unknown) => {
      const read = readBulkSend(fields)
      if ("refusal" in read) return read.refusal
      const recipients = read.messages.map((m) => m.to)
      const refusal = requestRefusal(recipients)
      if (refusal !== undefined) return refusal
      const now = Date.now()
      return {
        status: 200,
        delayMs: requestDelay(recipients),
        body: {
          SMSMessages: read.messages.map((message) => {
            const scenario = scenarioFor(message.to)
            if (scenario === "ndnc") return restException(403, `${message.to} is on the NDNC registry`, 23005)
            const smsSid = sid()
            smsCallback(smsSid, message.to, scenario, message.fields)
            return smsJson(smsSid, message.to, message.from, message.body, now)
          }),
        },
      }
    }

    // The flat delivery report of exotel-protocol.md §3.2, one per status, in order: a phone that is not
    // reachable (the no-answer scenario) gets sent then failed; every other one sent, delivered, seen.
    const whatsAppReports = (
      url: string,
      messageSid: string,
      from: string,
      to: string,
      scenario: Scenario,
    ) => {
      const statuses = scenario === "no-answer" ? ["sent", "failed"] : ["sent", "delivered", "seen"]
      later(
        Effect.forEach(
          statuses,
          (status) =>
            postCallback(
              url,
              {
                sid: messageSid,
                from,
                to,
                status,
                exo_status_code: status === "failed" ? "30003" : "30000",
                timestamp: new Date().toISOString(),
              },
              "json",
            ),
          { discard: true },
        ),
      )
    }

    const whatsApp = (fields: unknown) => {
      const missing = whatsAppRefusal(fields)
      if (missing !== undefined) return missing
      const listed: unknown =
        typeof fields === "object" && fields !== null
          ? Reflect.get(Reflect.get(fields, "whatsapp") ?? {}, "messages")
          : undefined
      const messages: ReadonlyArray<unknown> = Array.isArray(listed) ? listed : []
      const destinations = messages.map((message: unknown) => text(message, "to") ?? "")
      const refusal = requestRefusal(destinations)
      if (refusal !== undefined) return refusal
      const statusCallback = text(fields, "status_callback")
      const results = messages.map((message: unknown) => {
        const to = text(message, "to") ?? ""
        const scenario = scenarioFor(to)
        if (scenario === "ndnc" || scenario === "failed")
          return {
            code: 400,
            status: "failure",
            error_data: { message: "Recipient cannot receive WhatsApp messages" },
          }
        const messageSid = sid()
        const callback = text(message, "status_callback") ?? statusCallback
        if (callback !== undefined)
          whatsAppReports(callback, messageSid, text(message, "from") ?? "", to, scenario)
        return { code: 202, status: "success", data: { sid: messageSid } }
      })
      const failed = results.filter((r) => r.code !== 202).length
      return {
        status: 202,
        delayMs: requestDelay(destinations),
        body: {
          request_id: sid(),
          method: "POST",
          http_code: 202,
          metadata: { total: results.length, success: results.length - failed, failed },
          response: { whatsapp: { messages: results } },
        },
      }
    }

    const greenVn = (fields: unknown) => {
      const missing = greenVnAllocationRefusal(fields)
      if (missing !== undefined) return missing
      const connectionId = text(fields, "connection_id") ?? ""
      const b: unknown =
        typeof fields === "object" && fields !== null ? Reflect.get(fields, "bparty_numbers") : undefined
      const partyB = Array.isArray(b) && typeof b[0] === "string" ? b[0] : ""
      const scenario = scenarioFor(partyB)
      const refusal = refusalOf(scenario, partyB, rateLimited)
      if (refusal !== undefined) return refusal
      nextVn += 1
      return {
        status: 200,
        body: {
          success: true,
          status: 200,
          code: null,
          message: null,
          data: {
            connection_id: connectionId,
            greenvn: `+9180400${String(10000 + (nextVn % 90000)).padStart(5, "0")}`,
            greenvn_id: sid(),
            state: "active",
            usage: text(fields, "usage") ?? "twoway",
          },
        },
      }
    }

    // Bulk call details, filtered as Exotel does by From, To and a DateCreated lower bound (both timestamps
    // are Exotel's "YYYY-MM-DD HH:mm:ss" in IST, so they compare as text).
    const listCalls = (query: URLSearchParams) => {
      const refusal = callListRefusal(query)
      if (refusal !== undefined) return refusal
      const from = query.get("From")
      const to = query.get("To")
      const since = /^gte:(.+)$/.exec(query.get("DateCreated") ?? "")?.[1]
      const found = [...calls.values()].filter(
        (call) =>
          (from === null || call.from === from) &&
          (to === null || call.to === to) &&
          (since === undefined || exotelTimestamp(call.createdAt) >= since),
      )
      return {
        status: 200,
        body: { Metadata: { Total: found.length }, Calls: found.map((c) => callJson(c).Call) },
      }
    }

    const route = (
      method: string,
      path: string,
      fields: unknown,
      query: URLSearchParams,
    ): {
      kind: LedgerKind
      answer: { status: number; body: unknown; retryAfter?: string; delayMs?: number }
    } => {
      const v1 = `/v1/Accounts/${credentials.accountSid}/`
      if (method === "POST" && path === `${v1}Calls/connect.json`)
        return { kind: "call", answer: connectCall(fields) }
      if (method === "GET" && path === `${v1}Calls.json`)
        return { kind: "call_details", answer: listCalls(query) }
      if (method === "GET" && path.startsWith(`${v1}Calls/`) && path.endsWith(".json")) {
        const call = calls.get(path.slice(`${v1}Calls/`.length, -".json".length))
        return {
          kind: "call_details",
          answer:
            callDetailsRefusal(query) ??
            (call === undefined
              ? { status: 404, body: restException(404, "Call not found", 404) }
              : { status: 200, body: callJson(call) }),
        }
      }
      if (method === "POST" && path === `${v1}Sms/send.json`) return { kind: "sms", answer: sendSms(fields) }
      if (method === "POST" && path === `${v1}Sms/bulksend.json`)
        return { kind: "bulk_sms", answer: bulkSms(fields) }
      if (method === "POST" && path === `/v2/accounts/${credentials.accountSid}/messages`)
        return { kind: "whatsapp", answer: whatsApp(fields) }
      if (method === "POST" && path === `/v1/tenants/${credentials.accountSid}/greenvn`)
        return { kind: "greenvn", answer: greenVn(fields) }
      return {
        kind: "unknown",
        answer: { status: 404, body: restException(404, `No resource at ${path}`, 404) },
      }
    }

    // What a request is, for the ledger of one refused before it was served.
    const kindOf = (method: string, path: string): LedgerKind => {
      const v1 = `/v1/Accounts/${credentials.accountSid}/`
      if (path.startsWith(`${v1}Calls`)) return method === "POST" ? "call" : "call_details"
      if (path === `${v1}Sms/send.json`) return "sms"
      if (path === `${v1}Sms/bulksend.json`) return "bulk_sms"
      if (path === `/v2/accounts/${credentials.accountSid}/messages`) return "whatsapp"
      if (path === `/v1/tenants/${credentials.accountSid}/greenvn`) return "greenvn"
      return "unknown"
    }

    const respond = (response: ServerResponse, status: number, body: unknown, retryAfter?: string) => {
      response.writeHead(status, {
        "content-type": "application/json",
        ...(retryAfter === undefined ? {} : { "retry-after": retryAfter }),
      })
      response.end(JSON.stringify(body))
    }

    // A call's recording by its sid, or one of the recordings by name (tests and benchmarks use those).
    const recordingAt = (path: string): Uint8Array | undefined => {
      const match = /^\/recordings\/([A-Za-z0-9_-]+)\.wav$/.exec(path)
      const key = match?.[1]
      if (key === undefined) return undefined
      const recording = calls.get(key)?.recording ?? (isRecordingName(key) ? key : undefined)
      return recording === undefined ? undefined : recordingWav(recording)
    }

    const handle = async (request: IncomingMessage, response: ServerResponse) => {
      const method = request.method ?? "GET"
      const path = (request.url ?? "/").split("?")[0] ?? "/"
      const fields = parseFields(request.headers["content-type"], await readBody(request))
      if (request.headers.authorization !== expectedAuth) {
        ledger.record({ at: Date.now(), kind: "unknown", method, path, fields: {}, status: 401 })
        respond(response, 401, restException(401, "Authentication is required to view this page.", 401))
        return
      }
      if (method === "GET" && path.startsWith("/recordings/")) {
        const wav = recordingAt(path)
        ledger.record({
          at: Date.now(),
          kind: "recording",
          method,
          path,
          fields: {},
          status: wav === undefined ? 404 : 200,
        })
        if (wav === undefined) {
          respond(response, 404, restException(404, "Recording not found", 404))
          return
        }
        response.writeHead(200, { "content-type": "audio/wav", "content-length": String(wav.length) })
        response.end(wav)
        return
      }
      const query = new URLSearchParams((request.url ?? "").split("?")[1] ?? "")
      const arrival = accountWindow.arrive(Date.now())
      if (!arrival.admitted) {
        ledger.record({ at: Date.now(), kind: kindOf(method, path), method, path, fields: {}, status: 429 })
        respond(
          response,
          429,
          restException(
            429,
            `Too many requests: the account's limit is ${options.rateLimit.requests} in ${options.rateLimit.windowMs / 1000} s`,
            429,
          ),
          String(arrival.retryAfterSeconds),
        )
        return
      }
      const { kind, answer } = route(method, path, fields, query)
      ledger.record({
        at: Date.now(),
        kind,
        method,
        path,
        fields: typeof fields === "object" && fields !== null ? { ...fields } : {},
        status: answer.status,
      })
      if (answer.delayMs !== undefined && answer.delayMs > 0)
        await new Promise((r) => setTimeout(r, answer.delayMs))
      respond(response, answer.status, answer.body, answer.retryAfter)
    }

    const server = createServer((request, response) => {
      handle(request, response).catch(() =>
        respond(response, 500, restException(500, "Simulator error", 500)),
      )
    })
    server.keepAliveTimeout = 30_000
    yield* Effect.acquireRelease(
      Effect.async<void, Error>((resume) => {
        server.once("error", (error) => resume(Effect.fail(error)))
        server.listen(options.port, "127.0.0.1", () => resume(Effect.void))
      }),
      // Connections are cut rather than drained: a stopped upstream is what the outage test wants, and a
      // client's keep-alive socket must not hold the simulator open.
      () =>
        Effect.async<void>((resume) => {
          server.close(() => resume(Effect.void))
          server.closeAllConnections()
        }).pipe(
          Effect.timeoutTo({ duration: "2 seconds", onTimeout: () => undefined, onSuccess: () => undefined }),
        ),
    ).pipe(Effect.orDie)
    const address: AddressInfo | string | null = server.address()
    const port = typeof address === "object" && address !== null ? address.port : options.port
    base = `http://127.0.0.1:${port}`
    return { url: base, port, ledger } satisfies ExotelSimulatorHandle
  })

export const defaultSimulatorOptions = (
  credentials: SimulatorOptions["credentials"],
  overrides: Partial<SimulatorOptions> = {},
): SimulatorOptions => ({
  port: 0,
  credentials,
  slowMs: 2_000,
  callbackDelayMs: 20,
  ledger: new SimLedger(),
  rateLimit: exotelAccountLimit,
  ...overrides,
})
