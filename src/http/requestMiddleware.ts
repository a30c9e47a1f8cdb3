// Every request: a request id, a structured access-log line, metrics by route, and error bodies that say
// what was wrong — malformed JSON and schema failures name the field instead of answering an empty 400.
import { randomBytes } from "node:crypto"
import {
  HttpLayerRouter,
  HttpRouter,
  HttpServerError,
  HttpServerRequest,
  HttpServerResponse,
  Multipart,
} from "@effect/platform"
import { Cause, Effect, Metric, MetricLabel, Option } from "effect"
import { RequestContext } from "./requestContext.js"
import { httpRequestDuration, httpRequests } from "./requestMetrics.js"
import { classifySqlError, isSqlError } from "./sqlFailures.js"

const requestIdPattern = /^[A-Za-z0-9._-]{1,100}$/

const requestIdOf = (request: HttpServerRequest.HttpServerRequest) => {
  const given = request.headers["x-request-id"]
  return given !== undefined && requestIdPattern.test(given)
    ? given
    : `req_${randomBytes(9).toString("base64url")}`
}

interface DecodeIssue {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}

const isDecodeBody = (u: unknown): u is { _tag: "HttpApiDecodeError"; issues: ReadonlyArray<DecodeIssue> } =>
  typeof u === "object" &&
  u !== null &&
  "_tag" in u &&
  u._tag === "HttpApiDecodeError" &&
  "issues" in u &&
  Array.isArray(u.issues)

const fieldName = (path: ReadonlyArray<PropertyKey>) => path.map(String).join(".")

/** "field: problem; other: problem" — the first thing a client developer reads. */
export const describeIssues = (issues: ReadonlyArray<DecodeIssue>) =>
  issues
    .map((issue) => (issue.path.length === 0 ? issue.message : `${fieldName(issue.path)}: ${issue.message}`))
    .join("; ")

const clarifyDecodeError = (response: HttpServerResponse.HttpServerResponse) => {
  if (response.status !== 400 || response.body._tag !== "Uint8Array") return response
  let parsed: unknown
  try {
    parsed = JSON.parse(new TextDecoder().decode(response.body.body))
  } catch {
    return response
  }
  if (!isDecodeBody(parsed)) return response
  const first = parsed.issues[0]
  return HttpServerResponse.unsafeJson(
    {
      _tag: "BadRequest",
      message: describeIssues(parsed.issues),
      field: first === undefined || first.path.length === 0 ? undefined : fieldName(first.path),
      issues: parsed.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
    },
    { status: 400, headers: response.headers },
  )
}

// A body that cannot be parsed surfaces as a RequestError, either failed or (from HttpApi's payload reader) died.
const malformedBody = (cause: Cause.Cause<unknown>) =>
  [...Cause.failures(cause), ...Cause.defects(cause)].find(
    (e): e is HttpServerError.RequestError =>
      HttpServerError.isServerError(e) && e._tag === "RequestError" && e.reason === "Decode",
  )

// Repositories turn SQL failures into defects (a caller cannot act on them); at the edge their SQLSTATE tells
// a refused value (400) from a database that does not answer (503, since the request may well succeed later).
// A multipart body the platform's parser gave up on: malformed (400), or past one of its limits (413).
const malformedMultipart = (cause: Cause.Cause<unknown>) =>
  [...Cause.failures(cause), ...Cause.defects(cause)].find(
    (e): e is Multipart.MultipartError => e instanceof Multipart.MultipartError,
  )

const sqlFailure = (cause: Cause.Cause<unknown>) =>
  Option.map(Option.fromNullable([...Cause.defects(cause)].find(isSqlError)), classifySqlError)

const badRequestBody = (message: string) =>
  HttpServerResponse.unsafeJson({ _tag: "BadRequest", message, field: "body" }, { status: 400 })

const json = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  HttpServerResponse.unsafeJson(body, { status, headers })

/** Seconds a client is asked to wait after a 503 that names no time of its own. */
const unavailableRetrySeconds = "5"

/** The answer to a failure no handler turned into a response: what it was, and at which level it is logged. */
const answerFailure = (cause: Cause.Cause<unknown>, requestId: string) => {
  const error = malformedBody(cause)
  if (error !== undefined) {
    return Effect.succeed(
      badRequestBody(
        `The request body is not valid JSON: ${error.cause instanceof Error ? error.cause.message : (error.description ?? "unreadable body")}`,
      ),
    )
  }
  const multipart = malformedMultipart(cause)
  if (multipart !== undefined) {
    return Effect.succeed(
      multipart.reason === "Parse" || multipart.reason === "InternalError"
        ? badRequestBody("The multipart body could not be read")
        : json(413, {
            _tag: "PayloadTooLarge",
            message: `The multipart body is too large (${multipart.reason})`,
          }),
    )
  }
  const sql = sqlFailure(cause)
  if (Option.isSome(sql)) {
    const failure = sql.value
    switch (failure._tag) {
      case "RefusedValue":
        return Effect.succeed(
          json(400, { _tag: "BadRequest", message: `The database refused a value: ${failure.detail}` }),
        )
      case "Conflict":
        return Effect.succeed(
          json(409, { _tag: "Conflict", message: `The database refused the change: ${failure.detail}` }),
        )
      case "Unavailable":
        return Effect.logError("database unavailable", cause).pipe(
          Effect.as(
            json(
              503,
              { _tag: "ServiceUnavailable", message: "The database is not answering; try again shortly" },
              { "retry-after": unavailableRetrySeconds },
            ),
          ),
        )
      case "Bug":
        break
    }
  }
  // What the platform makes of the rest: a route not found is a 404; what it can only call a 500 is logged with
  // its cause, and the client is told where to look.
  return Effect.flatMap(HttpServerError.causeResponse(cause), ([response]) =>
    response.status < 500
      ? Effect.succeed(response)
      : Effect.logError("request failed", cause).pipe(
          Effect.as(
            json(response.status, {
              _tag: "InternalServerError",
              message: `The gateway failed to answer this request; its log has the cause under request id ${requestId}`,
              requestId,
            }),
          ),
        ),
  )
}

const bodyOf = (response: HttpServerResponse.HttpServerResponse): object | undefined => {
  if (response.body._tag !== "Uint8Array") return undefined
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(response.body.body))
    return typeof parsed === "object" && parsed !== null ? parsed : undefined
  } catch {
    return undefined
  }
}

/** A 5xx body's message, for the log line that records it. */
const messageOf = (response: HttpServerResponse.HttpServerResponse) => {
  const body = bodyOf(response)
  return body !== undefined && "message" in body && typeof body.message === "string"
    ? body.message
    : undefined
}

// Every 503 says when to come back: its own header, else the time its body names (ServiceUnavailable's
// retryAfterSeconds, from the Exotel rate budget), else a default.
const withRetryAfter = (response: HttpServerResponse.HttpServerResponse) => {
  if (response.status !== 503 || response.headers["retry-after"] !== undefined) return response
  const body = bodyOf(response)
  const named =
    body !== undefined && "retryAfterSeconds" in body && typeof body.retryAfterSeconds === "number"
      ? String(Math.max(1, Math.ceil(body.retryAfterSeconds)))
      : unavailableRetrySeconds
  return HttpServerResponse.setHeader(response, "retry-after", named)
}

export const RequestMiddlewareLive = HttpLayerRouter.middleware(
  (httpEffect) =>
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      const context = { requestId: requestIdOf(request), route: "unmatched" }
      return answer(httpEffect, request, context).pipe(Effect.annotateLogs("requestId", context.requestId))
    }),
  { global: true },
)

const answer = <E, R>(
  httpEffect: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>,
  request: HttpServerRequest.HttpServerRequest,
  context: { readonly requestId: string; route: string },
) =>
  Effect.gen(function* () {
    const started = performance.now()
    const response = yield* httpEffect.pipe(
      // An interrupted request (its client went away) has no one to answer.
      Effect.catchAllCause((cause) =>
        Cause.isInterruptedOnly(cause) ? Effect.failCause(cause) : answerFailure(cause, context.requestId),
      ),
      Effect.map((response) => withRetryAfter(clarifyDecodeError(response))),
      Effect.provideService(RequestContext, context),
    )
    const seconds = (performance.now() - started) / 1000
    const routeLabels = [MetricLabel.make("method", request.method), MetricLabel.make("route", context.route)]
    yield* Metric.increment(
      Metric.taggedWithLabels(httpRequests, [
        ...routeLabels,
        MetricLabel.make("status", String(response.status)),
      ]),
    )
    yield* Metric.update(Metric.taggedWithLabels(httpRequestDuration, routeLabels), seconds)
    yield* (response.status >= 500 ? Effect.logError : Effect.logInfo)("request").pipe(
      Effect.annotateLogs({
        method: request.method,
        path: request.url.split("?")[0],
        status: response.status,
        durationMs: Math.round(seconds * 1e5) / 100,
        ...(response.status >= 500 ? { error: messageOf(response) ?? "no message" } : {}),
      }),
    )
    return HttpServerResponse.setHeader(response, "x-request-id", context.requestId)
  })

/** Runs inside a matched route: tells the outer middleware which route pattern answered. */
export const RouteLabelLive = HttpLayerRouter.middleware((httpEffect) =>
  Effect.gen(function* () {
    const { route } = yield* HttpRouter.RouteContext
    const context = yield* Effect.serviceOption(RequestContext)
    if (Option.isSome(context)) context.value.route = route.path
    return yield* httpEffect
  }),
)
