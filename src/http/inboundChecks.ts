// What every matched route checks before its handler runs: the per-address request rate of the routes no
// bearer token vouches for; NUL characters in path and query parameters; and the body — its size (413, from its
// length, never by reading past it), its content type (415), how deep its JSON nests and whether a string in it
// holds a NUL (400 naming the field). Each refusal is a JSON body a client developer can act on.
import { IncomingMessage } from "node:http"
import {
  HttpApi,
  HttpIncomingMessage,
  HttpLayerRouter,
  HttpMethod,
  HttpRouter,
  HttpServerRequest,
  HttpServerResponse,
} from "@effect/platform"
import { Context, Duration, Effect, Option } from "effect"
import { requiredRoles, sourceAddress } from "./Authentication.js"
import { isAudioType, TakesAudio } from "./audioBodies.js"
import { bodyLimitFor, largestBodyBytes } from "./bodyLimits.js"
import { GatewayApi } from "./GatewayApi.js"
import { jsonTextShape, nulField, nulMessage, nulParameter } from "./hostileInput.js"
import { InboundLimiter } from "./InboundLimiter.js"
import { TakesMultipart } from "./multipartCallbacks.js"
import { discardAllowance, discardRest, isUnsizedTooLarge } from "./requestBodies.js"

const routeKey = (method: string, path: string) => `${method} ${path}`

/** Ample for a status callback's few fields on loopback or across the internet. */
const multipartDeadline = Duration.seconds(5)

/** The endpoints that decode a body (others never read one, whatever is sent), and those that take multipart. */
const { payloadRoutes, multipartRoutes, audioRoutes } = (() => {
  const payloadRoutes = new Set<string>()
  const multipartRoutes = new Set<string>()
  const audioRoutes = new Set<string>()
  HttpApi.reflect(GatewayApi, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, mergedAnnotations }) => {
      if (Option.isSome(endpoint.payloadSchema) && HttpMethod.hasBody(endpoint.method)) {
        payloadRoutes.add(routeKey(endpoint.method, endpoint.path))
        if (Context.getOption(mergedAnnotations, TakesMultipart).pipe(Option.getOrElse(() => false)))
          multipartRoutes.add(routeKey(endpoint.method, endpoint.path))
        if (Context.getOption(mergedAnnotations, TakesAudio).pipe(Option.getOrElse(() => false)))
          audioRoutes.add(routeKey(endpoint.method, endpoint.path))
      }
    },
  })
  return { payloadRoutes, multipartRoutes, audioRoutes }
})()

/** The endpoints behind the bearer-token guard: their rate is their key's, counted by the guard. */
const guardedRoutes = new Set(requiredRoles(GatewayApi).keys())

const refusal = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  HttpServerResponse.unsafeJson(body, { status, headers })

const badRequest = (message: string, field: string) => refusal(400, { _tag: "BadRequest", message, field })

const nulFieldResponse = (field: string) => badRequest(nulMessage(field), field)

/** JSON (the default when none is named) and form fields, urlencoded or (where an endpoint takes it) multipart. */
const acceptedType = (contentType: string | undefined) => {
  if (contentType === undefined || contentType.trim() === "") return "json"
  const type = contentType.toLowerCase()
  if (type.includes("application/json")) return "json"
  if (type.includes("application/x-www-form-urlencoded")) return "form"
  if (type.includes("multipart/form-data")) return "multipart"
  return undefined
}

// RFC 2046: a multipart type names its boundary, 1 to 70 characters. Without one the platform's parser fails
// in a way the error mapping cannot tell from a bug, so such a body is refused before it is read.
const multipartBoundary = /;\s*boundary=(?:"[^"]{1,70}"|[^\s;"]{1,70})(?:\s*;|\s*$)/i

const namesBoundary = (contentType: string | undefined) =>
  contentType !== undefined && multipartBoundary.test(contentType)

const contentLength = (request: HttpServerRequest.HttpServerRequest) => {
  const given = request.headers["content-length"]
  return given === undefined ? 0 : Number(given)
}

const hasEncodedNul = (text: string) => /%00/.test(text)

/** A NUL in a path or query parameter, as decoded; undefined when there is none. */
const nulInParameters = (url: string, params: Readonly<Record<string, string | undefined>>) => {
  if (!hasEncodedNul(url)) return undefined
  const inPath = nulParameter(Object.entries(params))
  if (inPath !== undefined) return inPath
  const query = url.indexOf("?")
  return query === -1 ? undefined : nulParameter(new URLSearchParams(url.slice(query + 1)))
}

const parsedJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    // Malformed: the payload decoder answers it, naming the parser's complaint.
    return undefined
  }
}

/** The body's problem, once read: too deep, or a NUL in one of its fields. */
const bodyProblem = (text: string, kind: "json" | "form", depthLimit: number) => {
  if (kind === "form") {
    const field = hasEncodedNul(text) ? nulParameter(new URLSearchParams(text)) : undefined
    return field === undefined ? undefined : nulFieldResponse(field)
  }
  const shape = jsonTextShape(text, depthLimit)
  if (shape._tag === "TooDeep") {
    return badRequest(`The request body nests arrays and objects deeper than ${depthLimit} levels`, "body")
  }
  if (shape._tag === "Plain") return undefined
  const path = nulField(parsedJson(text))
  return path === undefined ? undefined : nulFieldResponse(path.length === 0 ? "body" : path.join("."))
}

export const InboundChecksLive = HttpLayerRouter.middleware(
  Effect.gen(function* () {
    const limiter = yield* InboundLimiter
    const { bodyLimitBytes, jsonDepthLimit } = limiter.limits
    return (httpEffect) =>
      Effect.gen(function* () {
        const request = yield* HttpServerRequest.HttpServerRequest
        const { route, params } = yield* HttpRouter.RouteContext
        const key = routeKey(route.method, route.path)

        if (!guardedRoutes.has(key)) {
          const verdict = limiter.admitAddress(sourceAddress(request))
          if (!verdict.admitted) {
            return refusal(
              429,
              {
                _tag: "TooManyRequests",
                message: "Too many requests from this address",
                retryAfterSeconds: verdict.retryAfterSeconds,
              },
              { "retry-after": String(verdict.retryAfterSeconds) },
            )
          }
        }

        const nulParam = nulInParameters(request.url, params)
        if (nulParam !== undefined) return nulFieldResponse(nulParam)

        if (!HttpMethod.hasBody(request.method)) return yield* httpEffect
        const limit = bodyLimitFor(route.method, String(route.path), bodyLimitBytes)
        const node = request.source instanceof IncomingMessage ? request.source : undefined
        const length = contentLength(request)
        if ((node !== undefined && isUnsizedTooLarge(node)) || length > limit) {
          if (node !== undefined && length > limit) discardRest(node, discardAllowance(largestBodyBytes))
          return refusal(413, {
            _tag: "PayloadTooLarge",
            message: `The request body is larger than this endpoint takes (${limit} bytes)`,
            limitBytes: limit,
          })
        }
        if (length === 0 || !payloadRoutes.has(key)) return yield* httpEffect
        if (audioRoutes.has(key)) {
          if (isAudioType(request.headers["content-type"])) return yield* httpEffect
          return refusal(415, {
            _tag: "UnsupportedMediaType",
            message: `A body of type ${request.headers["content-type"]?.slice(0, 100)} is not taken here: send audio/wav`,
          })
        }
        const kind = acceptedType(request.headers["content-type"])
        if (kind === undefined || (kind === "multipart" && !multipartRoutes.has(key))) {
          return refusal(415, {
            _tag: "UnsupportedMediaType",
            message: `A body of type ${request.headers["content-type"]?.slice(0, 100)} is not taken here: send application/json`,
          })
        }
        // Multipart is read by the platform's own parser, part by part. That parser never finishes a body cut off
        // before its closing boundary, so a callback gets a deadline: past it, the body was not a whole one.
        if (kind === "multipart" && !namesBoundary(request.headers["content-type"]))
          return badRequest("A multipart body's Content-Type must name its boundary (boundary=…)", "body")
        if (kind === "multipart")
          return yield* httpEffect.pipe(
            // Disconnected: the stuck parser is interrupted in the background, not waited on.
            Effect.disconnect,
            Effect.timeoutTo({
              duration: multipartDeadline,
              onSuccess: (response) => response,
              onTimeout: () => badRequest("The multipart body ended before its closing boundary", "body"),
            }),
          )
        const text = yield* Effect.either(request.text)
        const problem = text._tag === "Right" ? bodyProblem(text.right, kind, jsonDepthLimit) : undefined
        return problem ?? (yield* httpEffect)
      }).pipe(HttpIncomingMessage.withMaxBodySize(Option.some(largestBodyBytes)))
  }),
)
