// The Exotel Cloud REST client: basic auth, form bodies for v1 `.json` resources, JSON for v2 and GreenVN,
// Schema-decoded answers, 429/5xx retried on the retry policy's Schedule (honouring Retry-After), a timeout
// on every attempt, and a circuit breaker that answers at once while Exotel is down.
import { HttpClient, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import {
  Clock,
  Context,
  Duration,
  Effect,
  FiberRef,
  Layer,
  Metric,
  Option,
  Redacted,
  Ref,
  Schedule,
  Schema,
} from "effect"
import { Settings } from "../../config/Settings.js"
import { upstreamBaseUrl } from "../../config/settingsCatalog.js"
import {
  BulkSmsResource,
  CallList,
  CallResource,
  exotelTimestamp,
  GreenVnEnvelope,
  RestException,
  SmsResource,
  WhatsAppResponse,
} from "../../domain/exotel/wire.js"
import type { RetryConfig } from "../../domain/Retry.js"
import {
  admit,
  type BreakerConfig,
  type BreakerState,
  closed,
  onFailure,
  onSuccess,
} from "../../policy/circuitBreaker.js"
import { honouringRetryAfter, retrySchedule } from "../../policy/retry.js"
import { type ExotelFailure, ExotelRejected, ExotelRetryable, ExotelUnavailable } from "./errors.js"
import { ExotelUnhurried, RateBudget } from "./RateBudget.js"
import {
  type BulkSms,
  bulkSmsForm,
  type ConnectCall,
  connectCallForm,
  greenVnBody,
  type MaskAllocation,
  type SendSms,
  sendSmsForm,
  type WhatsAppTemplate,
  whatsAppBody,
} from "./requests.js"
import { simulatorAccount } from "./simulatorAccount.js"

export interface ExotelClientOptions {
  /** Each attempt's deadline. */
  readonly timeout: Duration.DurationInput
  readonly breaker: BreakerConfig
  /** Retries of one HTTP request (429/5xx/network), in seconds, on the same Schedule as call retries. */
  readonly httpRetry: RetryConfig
  /** The longest Retry-After honoured; a longer one is cut to this. */
  readonly maxRetryAfterMs: number
}

export const defaultExotelClientOptions: ExotelClientOptions = {
  timeout: "10 seconds",
  breaker: { threshold: 5, openMs: 30_000 },
  httpRetry: {
    maxAttempts: 3,
    initialDelaySeconds: 1,
    backoffMultiplier: 2,
    maxDelaySeconds: 8,
    retryOnBusy: false,
    retryOnNoAnswer: false,
    retryOnNetworkError: true,
    jitter: 0.2,
  },
  maxRetryAfterMs: 30_000,
}

/** Tests and benchmarks tune timeouts and the breaker here; the gateway runs on the defaults. */
export class ExotelClientConfig extends Context.Reference<ExotelClientConfig>()("ExotelClientConfig", {
  defaultValue: () => defaultExotelClientOptions,
}) {}

/** Where requests go when no service URL is configured and no credentials select Exotel: the simulator. */
export class ExotelFallbackUrl extends Context.Reference<ExotelFallbackUrl>()("ExotelFallbackUrl", {
  defaultValue: () => Option.none<string>(),
}) {}

export { simulatorAccount } from "./simulatorAccount.js"

type Call = CallResource["Call"]
type SmsMessage = SmsResource["SMSMessage"]

export interface ExotelClientShape {
  /** Calls/connect.json: click-to-call (`to` set) or Connect Voice AI (`streamUrl` set). */
  readonly connectCall: (call: ConnectCall) => Effect.Effect<Call, ExotelFailure>
  readonly callDetails: (callSid: string) => Effect.Effect<Call, ExotelFailure>
  /**
   * Bulk call details (Calls.json): the calls whose first leg dialled `from` (a streamed call's callee) created
   * since an instant; the first page of 100.
   */
  readonly callsFrom: (from: string, since: number) => Effect.Effect<ReadonlyArray<Call>, ExotelFailure>
  /** Bulk call details (Calls.json): the calls to `to` (a connected call's second leg) created since an instant. */
  readonly callsTo: (to: string, since: number) => Effect.Effect<ReadonlyArray<Call>, ExotelFailure>
  readonly sendSms: (sms: SendSms) => Effect.Effect<SmsMessage, ExotelFailure>
  readonly bulkSms: (bulk: BulkSms) => Effect.Effect<BulkSmsResource, ExotelFailure>
  readonly sendWhatsApp: (message: WhatsAppTemplate) => Effect.Effect<WhatsAppResponse, ExotelFailure>
  readonly allocateMask: (
    mask: MaskAllocation,
  ) => Effect.Effect<{ readonly greenvn: string; readonly greenvnId: string }, ExotelFailure>
  /** A call's recording, as the bytes Exotel serves at its RecordingUrl (at most `maxRecordingBytes`). */
  readonly fetchRecording: (url: string) => Effect.Effect<Uint8Array, ExotelFailure>
}

/** 32 MiB: 17 minutes of 8 kHz stereo PCM; a longer file is refused rather than held in memory. */
export const maxRecordingBytes = 32 * 1024 * 1024

/**
 * The account's credentials go only to the upstream itself or to Exotel's own hosts: a recording URL is data
 * from a callback, and a forged one must not collect our API token.
 */
export const sendsCredentialsTo = (recordingUrl: string, upstreamBase: string): boolean => {
  try {
    const target = new URL(recordingUrl)
    return target.origin === new URL(upstreamBase).origin || /(^|\.)exotel\.(com|in)$/.test(target.hostname)
  } catch {
    return false
  }
}

export class ExotelClient extends Context.Tag("ExotelClient")<ExotelClient, ExotelClientShape>() {}

/** 429s Exotel sent: each one is a request the rate budget should have held back, so the target is none. */
export const rateLimitedAnswers = Metric.counter("exotel_rate_limited_total", {
  description: "Requests Exotel answered 429 Too Many Requests",
})

/** A 429 without a Retry-After is waited out this long: a twentieth of Exotel's minute. */
const defaultRateLimitWaitMs = 3_000

/** Work a caller waits on tries a 429 again this often before it answers 503; background work, until it is taken. */
const waitedOnRateLimitRetries = 1

const isRateLimited = (error: ExotelFailure | ExotelRetryable) =>
  error._tag === "ExotelRetryable" && error.status === 429

/** Retry-After in seconds or as an HTTP date, in milliseconds from `now`. */
export const retryAfterMs = (header: string | undefined, now: number): number | null => {
  if (header === undefined) return null
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

const decodeRestException = Schema.decodeUnknownOption(RestException)

const failureOf = (
  response: HttpClientResponse.HttpClientResponse,
  body: unknown,
  now: number,
  cap: number,
) => {
  const exception = Option.map(decodeRestException(body), (e) => e.RestException)
  const message = Option.match(exception, {
    onNone: () => `Exotel answered HTTP ${response.status}`,
    onSome: (e) => e.Message,
  })
  if (response.status === 429 || response.status >= 500) {
    const wait = retryAfterMs(response.headers["retry-after"], now)
    return new ExotelRetryable({
      status: response.status,
      message,
      retryAfterMs: wait === null ? null : Math.min(wait, cap),
    })
  }
  return new ExotelRejected({
    status: response.status,
    code: Option.getOrNull(Option.flatMap(exception, (e) => Option.fromNullable(e.Code))),
    message,
  })
}

const readJson = (response: HttpClientResponse.HttpClientResponse) =>
  response.text.pipe(
    Effect.map((text): unknown => {
      try {
        return JSON.parse(text)
      } catch {
        return text
      }
    }),
    Effect.orElseSucceed((): unknown => null),
  )

export const ExotelClientLive = Layer.effect(
  ExotelClient,
  Effect.gen(function* () {
    const http = yield* HttpClient.HttpClient
    const settings = yield* Settings
    const options = yield* ExotelClientConfig
    const fallback = yield* ExotelFallbackUrl
    const breaker = yield* Ref.make<BreakerState>(closed)
    const budget = yield* RateBudget

    // Resolved per request, so a credential or URL change through PUT /config applies at once.
    const target = Effect.gen(function* () {
      const account = (yield* settings.current).exotel
      const base = Option.orElse(upstreamBaseUrl(account), () => fallback)
      if (Option.isNone(base)) {
        return yield* new ExotelUnavailable({ message: "No Exotel service URL is configured" })
      }
      return {
        base: base.value,
        sid: Option.getOrElse(account.accountSid, () => simulatorAccount.accountSid),
        key: Option.getOrElse(Option.map(account.apiKey, Redacted.value), () => simulatorAccount.apiKey),
        token: Option.getOrElse(
          Option.map(account.apiToken, Redacted.value),
          () => simulatorAccount.apiToken,
        ),
      }
    })

    const httpSchedule = honouringRetryAfter(
      retrySchedule(options.httpRetry),
      (error: ExotelFailure | ExotelRetryable) =>
        error._tag === "ExotelRetryable" ? error.retryAfterMs : null,
    )

    const attempt = <A, I>(request: HttpClientRequest.HttpClientRequest, schema: Schema.Schema<A, I>) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const admission = yield* Ref.modify(breaker, (state) => {
          const a = admit(state, now, options.breaker)
          return [a, a.state] as const
        })
        if (!admission.allowed) {
          const wait = Math.max(0, Math.ceil(((admission.retryAt ?? now) - now) / 1000))
          return yield* new ExotelUnavailable({
            message: `Exotel is unavailable after repeated failures; the gateway will try again in ${wait} s`,
          })
        }
        yield* budget.draw.pipe(
          Effect.catchTag(
            "BudgetSpent",
            (spent) =>
              new ExotelUnavailable({
                message: `The Exotel account's request budget is spent for now; try again in ${Math.ceil(spent.retryAfterMs / 1000)} s`,
                retryAfterMs: spent.retryAfterMs,
              }),
          ),
        )
        const outcome = yield* http.execute(request).pipe(
          Effect.timeoutFail({
            duration: options.timeout,
            onTimeout: () =>
              new ExotelRetryable({
                status: null,
                message: `Exotel did not answer within ${Duration.format(options.timeout)}`,
                retryAfterMs: null,
              }),
          }),
          Effect.catchTags({
            RequestError: (error) =>
              new ExotelRetryable({
                status: null,
                message: `Exotel unreachable: ${error.message}`,
                retryAfterMs: null,
              }),
            ResponseError: (error) =>
              new ExotelRetryable({
                status: null,
                message: `Exotel's answer broke off: ${error.message}`,
                retryAfterMs: null,
              }),
          }),
          Effect.flatMap((response) =>
            Effect.flatMap(readJson(response), (body) =>
              response.status >= 200 && response.status < 300
                ? Schema.decodeUnknown(schema)(body).pipe(
                    Effect.mapError(
                      (error) =>
                        new ExotelRejected({
                          status: response.status,
                          code: null,
                          message: `Exotel's answer could not be read: ${error.message}`,
                        }),
                    ),
                  )
                : Effect.flatMap(Clock.currentTimeMillis, (at) =>
                    Effect.fail(failureOf(response, body, at, options.maxRetryAfterMs)),
                  ),
            ),
          ),
          Effect.scoped,
          Effect.exit,
        )
        const failure =
          outcome._tag === "Failure" && outcome.cause._tag === "Fail" ? outcome.cause.error : undefined
        // A 429 says Exotel is up and we asked too often: it holds the budget back, and is no sign of an outage.
        if (failure !== undefined && isRateLimited(failure) && failure._tag === "ExotelRetryable") {
          yield* Metric.increment(rateLimitedAnswers)
          yield* budget.heldBack(failure.retryAfterMs ?? defaultRateLimitWaitMs)
        }
        const failedUpstream =
          failure !== undefined && failure._tag === "ExotelRetryable" && !isRateLimited(failure)
        const at = yield* Clock.currentTimeMillis
        yield* Ref.update(breaker, (state) =>
          failedUpstream ? onFailure(state, at, options.breaker) : onSuccess(state),
        )
        return yield* outcome
      })

    const send = <A, I>(
      name: string,
      build: (t: Effect.Effect.Success<typeof target>) => HttpClientRequest.HttpClientRequest,
      schema: Schema.Schema<A, I>,
    ) =>
      Effect.gen(function* () {
        const t = yield* target
        const request = build(t).pipe(
          HttpClientRequest.basicAuth(t.key, t.token),
          HttpClientRequest.acceptJson,
        )
        const unhurried = yield* FiberRef.get(ExotelUnhurried)
        return yield* attempt(request, schema).pipe(
          // The wait a 429 asks for is the budget's: the next attempt's draw sleeps until Exotel's Retry-After.
          Effect.retry({
            schedule: unhurried ? Schedule.forever : Schedule.recurs(waitedOnRateLimitRetries),
            while: isRateLimited,
          }),
          Effect.retry({
            schedule: httpSchedule,
            while: (error) => error._tag === "ExotelRetryable" && !isRateLimited(error),
          }),
          Effect.catchTag("ExotelRetryable", (error) =>
            Effect.fail(
              new ExotelUnavailable({
                message: `Exotel is unavailable: ${error.message}`,
                retryAfterMs: error.retryAfterMs ?? undefined,
              }),
            ),
          ),
        )
      }).pipe(Effect.withSpan(`ExotelClient.${name}`))

    // Bulk call details: one number's calls created since an instant, the first page of 100.
    const listCalls = (name: string, number: { From: string } | { To: string }, since: number) =>
      send(
        name,
        (t) =>
          HttpClientRequest.get(v1(t, "Calls.json")).pipe(
            HttpClientRequest.setUrlParams({
              ...number,
              DateCreated: `gte:${exotelTimestamp(since)}`,
              PageSize: "100",
            }),
          ),
        CallList,
      ).pipe(Effect.map((r) => r.Calls))

    const fetchRecording = (url: string) =>
      Effect.gen(function* () {
        const t = yield* target
        const request = sendsCredentialsTo(url, t.base)
          ? HttpClientRequest.get(url).pipe(HttpClientRequest.basicAuth(t.key, t.token))
          : HttpClientRequest.get(url)
        const response = yield* http.execute(request).pipe(
          Effect.timeout("30 seconds"),
          Effect.mapError(
            (error) =>
              new ExotelUnavailable({ message: `The recording could not be fetched: ${error.message}` }),
          ),
        )
        const declared = Number(response.headers["content-length"] ?? "0")
        if (response.status >= 400) {
          return yield* response.status >= 500
            ? new ExotelUnavailable({ message: `The recording server answered HTTP ${response.status}` })
            : new ExotelRejected({
                status: response.status,
                code: null,
                message: `The recording server answered HTTP ${response.status}`,
              })
        }
        if (declared > maxRecordingBytes) {
          return yield* new ExotelRejected({
            status: 413,
            code: null,
            message: `The recording is ${declared} bytes, more than the ${maxRecordingBytes} analysed`,
          })
        }
        const body = yield* response.arrayBuffer.pipe(
          Effect.mapError(
            (error) => new ExotelUnavailable({ message: `The recording broke off: ${error.message}` }),
          ),
        )
        if (body.byteLength > maxRecordingBytes) {
          return yield* new ExotelRejected({
            status: 413,
            code: null,
            message: `The recording is more than the ${maxRecordingBytes} bytes analysed`,
          })
        }
        return new Uint8Array(body)
      }).pipe(Effect.scoped, Effect.withSpan("ExotelClient.fetchRecording"))

    const v1 = (t: { base: string; sid: string }, resource: string) =>
      `${t.base}/v1/Accounts/${t.sid}/${resource}`

    return ExotelClient.of({
      fetchRecording,
      connectCall: (call) =>
        send(
          "connectCall",
          (t) =>
            HttpClientRequest.post(v1(t, "Calls/connect.json")).pipe(
              HttpClientRequest.bodyUrlParams(connectCallForm(call)),
            ),
          CallResource,
        ).pipe(Effect.map((r) => r.Call)),
      callDetails: (callSid) =>
        send(
          "callDetails",
          (t) => HttpClientRequest.get(v1(t, `Calls/${encodeURIComponent(callSid)}.json`)),
          CallResource,
        ).pipe(Effect.map((r) => r.Call)),
      callsFrom: (from, since) => listCalls("callsFrom", { From: from }, since),
      callsTo: (to, since) => listCalls("callsTo", { To: to }, since),
      sendSms: (sms) =>
        send(
          "sendSms",
          (t) =>
            HttpClientRequest.post(v1(t, "Sms/send.json")).pipe(
              HttpClientRequest.bodyUrlParams(sendSmsForm(sms)),
            ),
          SmsResource,
        ).pipe(Effect.map((r) => r.SMSMessage)),
      bulkSms: (bulk) =>
        send(
          "bulkSms",
          (t) =>
            HttpClientRequest.post(v1(t, "Sms/bulksend.json")).pipe(
              HttpClientRequest.bodyUrlParams(bulkSmsForm(bulk)),
            ),
          BulkSmsResource,
        ),
      sendWhatsApp: (message) =>
        send(
          "sendWhatsApp",
          (t) =>
            HttpClientRequest.post(`${t.base}/v2/accounts/${t.sid}/messages`).pipe(
              HttpClientRequest.bodyUnsafeJson(whatsAppBody(message)),
            ),
          WhatsAppResponse,
        ),
      allocateMask: (mask) =>
        send(
          "allocateMask",
          (t) =>
            HttpClientRequest.post(`${t.base}/v1/tenants/${t.sid}/greenvn`).pipe(
              HttpClientRequest.bodyUnsafeJson(greenVnBody(mask)),
            ),
          GreenVnEnvelope,
        ).pipe(
          Effect.flatMap((envelope) => {
            const vn = envelope.data?.greenvn ?? envelope.data?.green_vn
            return envelope.success && envelope.data !== null && vn !== undefined
              ? Effect.succeed({ greenvn: vn, greenvnId: envelope.data.greenvn_id })
              : Effect.fail(
                  new ExotelRejected({
                    status: envelope.status,
                    code: envelope.code ?? null,
                    message: envelope.message ?? "GreenVN allocation failed",
                  }),
                )
          }),
        ),
    })
  }),
).pipe(Layer.provide(NodeHttpClient.layerUndici))
