// Bearer-token authentication. Each endpoint declares the role it needs once, with `requires(role)`: the
// guard reads it from the route, and the OpenAPI document shows it. An endpoint behind the guard that
// declares no role needs admin — forgetting the declaration closes the door, never opens it.
import { timingSafeEqual } from "node:crypto"
import {
  HttpApi,
  type HttpApiEndpoint,
  type HttpApiGroup,
  HttpApiMiddleware,
  HttpApiSecurity,
  HttpApp,
  type HttpMethod,
  HttpRouter,
  HttpServerRequest,
  HttpServerResponse,
  OpenApi,
} from "@effect/platform"
import { Context, Effect, Layer, Option, Redacted, Schema } from "effect"
import { AdminToken } from "../config/AdminToken.js"
import { Forbidden, TooManyRequests, Unauthorized } from "../domain/errors.js"
import { type Role, roleAllows } from "../domain/Role.js"
import type { BucketRule } from "../policy/tokenBucket.js"
import { ApiKeysRepo, ownRateLimit, tokenHash } from "../store/ApiKeysRepo.js"
import { InboundLimiter } from "./InboundLimiter.js"

export interface PrincipalShape {
  readonly role: Role
  /** "admin" for the admin token, else the API key's id. */
  readonly keyId: string
}

export class Principal extends Context.Tag("Principal")<Principal, PrincipalShape>() {}

class RequiredRole extends Context.Tag("RequiredRole")<RequiredRole, Role>() {}

export class Guard extends HttpApiMiddleware.Tag<Guard>()("Guard", {
  provides: Principal,
  failure: Schema.Union(Unauthorized, Forbidden, TooManyRequests),
  security: {
    bearer: HttpApiSecurity.bearer.pipe(
      HttpApiSecurity.annotate(
        OpenApi.Description,
        "The admin token or an API key: `Authorization: Bearer <token>`",
      ),
    ),
  },
}) {}

/** Declares the role an endpoint needs; the guard enforces it and the OpenAPI document shows it. */
export const requires =
  (role: Role) =>
  <
    Name extends string,
    Method extends HttpMethod.HttpMethod,
    Path,
    UrlParams,
    Payload,
    Headers,
    Success,
    Error,
    R,
    RE,
  >(
    endpoint: HttpApiEndpoint.HttpApiEndpoint<
      Name,
      Method,
      Path,
      UrlParams,
      Payload,
      Headers,
      Success,
      Error,
      R,
      RE
    >,
  ) =>
    endpoint.annotate(RequiredRole, role).annotate(OpenApi.Transform, (operation) => ({
      ...operation,
      security: [{ bearer: [role] }],
      "x-required-role": role,
      description: [operation.description, `Requires the **${role}** role or higher.`]
        .filter((line) => typeof line === "string" && line.length > 0)
        .join("\n\n"),
    }))

const routeKey = (method: string, path: string) => `${method} ${path}`

/** Every guarded endpoint of the API and the role it declared. */
export const requiredRoles = <Id extends string, Groups extends HttpApiGroup.HttpApiGroup.Any, E, R>(
  api: HttpApi.HttpApi<Id, Groups, E, R>,
): ReadonlyMap<string, Role> => {
  const roles = new Map<string, Role>()
  HttpApi.reflect(api, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, mergedAnnotations, middleware }) => {
      if (![...middleware].some((tag) => tag.key === Guard.key)) return
      roles.set(
        routeKey(endpoint.method, endpoint.path),
        Option.getOrElse(Context.getOption(mergedAnnotations, RequiredRole), () => "admin" as const),
      )
    },
  })
  return roles
}

const sameSecret = (a: string, b: string) => {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** Past a bucket: 429, with the wait in Retry-After as well as in the body. */
export const tooManyRequests = (retryAfterSeconds: number, message: string) =>
  HttpApp.appendPreResponseHandler((_request, response) =>
    Effect.succeed(HttpServerResponse.setHeader(response, "retry-after", String(retryAfterSeconds))),
  ).pipe(Effect.zipRight(new TooManyRequests({ message, retryAfterSeconds })))

/** The request's source address, as the per-address bucket counts it. */
export const sourceAddress = (request: HttpServerRequest.HttpServerRequest) =>
  Option.getOrElse(request.remoteAddress, () => "unknown")

/**
 * Who holds the token, within their request rate, allowed what `required` needs. A token that names nobody
 * counts against its source address's bucket, so guessing tokens is as slow as any unvouched-for request.
 */
export const authenticate = Effect.fn("authenticate")(function* (token: Redacted.Redacted, required: Role) {
  const limiter = yield* InboundLimiter
  const bearer = Redacted.make(Redacted.value(token).trim())
  const admin = yield* AdminToken
  const apiKeys = yield* ApiKeysRepo
  const principal: Option.Option<PrincipalShape & { readonly own: Option.Option<BucketRule> }> =
    Redacted.value(bearer).length === 0
      ? Option.none()
      : sameSecret(tokenHash(bearer), tokenHash(admin))
        ? Option.some({ role: "admin", keyId: "admin", own: Option.none() })
        : Option.map(yield* apiKeys.findActiveByToken(bearer), (key) => ({
            role: key.role,
            keyId: key.id,
            own: ownRateLimit(key),
          }))
  if (Option.isNone(principal)) {
    const verdict = limiter.admitAddress(sourceAddress(yield* HttpServerRequest.HttpServerRequest))
    if (!verdict.admitted) {
      return yield* tooManyRequests(verdict.retryAfterSeconds, "Too many requests from this address")
    }
    return yield* new Unauthorized({
      message:
        Redacted.value(bearer).length === 0
          ? "Missing bearer token: send `Authorization: Bearer <token>`"
          : "Invalid or revoked token",
    })
  }
  const { role, keyId, own } = principal.value
  const verdict = limiter.admitKey(keyId, role, own)
  if (!verdict.admitted) {
    return yield* tooManyRequests(
      verdict.retryAfterSeconds,
      `This key is past its request rate; try again in ${verdict.retryAfterSeconds} s`,
    )
  }
  if (!roleAllows(role, required)) {
    return yield* new Forbidden({
      message: `This endpoint requires the ${required} role; the token has the ${role} role`,
    })
  }
  return { role, keyId }
})

export const guardLayer = (roles: ReadonlyMap<string, Role>) =>
  Layer.effect(
    Guard,
    Effect.gen(function* () {
      const context = yield* Effect.context<AdminToken | ApiKeysRepo | InboundLimiter>()
      return Guard.of({
        bearer: (token) =>
          Effect.gen(function* () {
            const { route } = yield* HttpRouter.RouteContext
            const required = roles.get(routeKey(route.method, route.path)) ?? "admin"
            return yield* authenticate(token, required)
          }).pipe(Effect.provide(context)),
      })
    }),
  )
