// The buckets of the requests coming in: one per API key (the admin token is the key "admin") and one per
// source address. Each key's bucket is its own, so one noisy key never slows another. The checks are plain
// synchronous calls: the Node server's upgrade path runs them outside any fiber, and they cost a map lookup.
import { Context, Effect, Layer, Option } from "effect"
import { InboundLimits, InboundLimitsLive, type InboundLimitsShape } from "../config/InboundLimits.js"
import type { Role } from "../domain/Role.js"
import { type Bucket, type BucketRule, isFull, take } from "../policy/tokenBucket.js"
import { UpgradeRoutes } from "../stream/UpgradeRoutes.js"
import { bodyLimitFor } from "./bodyLimits.js"
import { UnsizedBodies } from "./NodeServer.js"

/** Admitted, or refused with the whole seconds to wait (Retry-After). */
export type Verdict =
  | { readonly admitted: true }
  | { readonly admitted: false; readonly retryAfterSeconds: number }

export interface InboundLimiterShape {
  readonly limits: InboundLimitsShape
  /** One request of the key `keyId`, under its own rule if it has one, else its role's. */
  readonly admitKey: (keyId: string, role: Role, own: Option.Option<BucketRule>) => Verdict
  /** One request from `address` that no bearer token vouches for. */
  readonly admitAddress: (address: string) => Verdict
}

export class InboundLimiter extends Context.Tag("InboundLimiter")<InboundLimiter, InboundLimiterShape>() {}

const admitted: Verdict = { admitted: true }

/**
 * Buckets by name, at most `capacity` of them: addresses are many and cost nothing to invent. Past it, the full
 * buckets (the same as none) are forgotten, and if none is full the older half goes.
 */
const bucketTable = (capacity: number, now: () => number) => {
  const buckets = new Map<string, Bucket>()
  const makeRoom = (rule: BucketRule) => {
    const at = now()
    for (const [name, bucket] of buckets) if (isFull(bucket, rule, at)) buckets.delete(name)
    if (buckets.size < capacity) return
    let drop = Math.ceil(buckets.size / 2)
    for (const name of buckets.keys()) {
      if (drop-- === 0) break
      buckets.delete(name)
    }
  }
  return (name: string, rule: BucketRule): Verdict => {
    const admission = take(buckets.get(name), rule, now())
    if (!buckets.has(name) && buckets.size >= capacity) makeRoom(rule)
    buckets.set(name, admission.bucket)
    return admission.admitted
      ? admitted
      : { admitted: false, retryAfterSeconds: retryAfterSeconds(admission) }
  }
}

const retryAfterSeconds = (refusal: { readonly retryAfterMs: number }) =>
  Math.max(1, Math.ceil(refusal.retryAfterMs / 1000))

export const makeInboundLimiter = (limits: InboundLimitsShape, now: () => number): InboundLimiterShape => {
  // Keys are few (each is a row of api_keys); addresses are not.
  const keys = bucketTable(100_000, now)
  const addresses = bucketTable(100_000, now)
  return {
    limits,
    admitKey: (keyId, role, own) => {
      const rule = Option.orElse(own, () => limits.perRole[role])
      return Option.isSome(rule) ? keys(keyId, rule.value) : admitted
    },
    admitAddress: (address) =>
      Option.isSome(limits.perAddress) ? addresses(address, limits.perAddress.value) : admitted,
  }
}

/** The limiter on the Clock of its layer, with the limits provided or read from the environment. */
export const InboundLimiterLive = Layer.effect(
  InboundLimiter,
  Effect.gen(function* () {
    const limits = yield* InboundLimits
    const clock = yield* Effect.clock
    return makeInboundLimiter(limits, () => clock.unsafeCurrentTimeMillis())
  }),
).pipe(Layer.provide(InboundLimitsLive))

/** A chunked body is read no further than its endpoint's limit (a path as the router would match it). */
export const UnsizedBodyCapLive = Layer.scopedDiscard(
  Effect.gen(function* () {
    const limiter = yield* InboundLimiter
    const bodies = yield* UnsizedBodies
    yield* bodies.cap((method, path) => bodyLimitFor(method, path, limiter.limits.bodyLimitBytes))
  }),
)

/**
 * The per-address bucket on the upgrades the Node server hands straight to their claimant (the voice stream):
 * a handshake past it is answered 429 before any claimant sees it.
 */
export const HandshakeLimitLive = Layer.scopedDiscard(
  Effect.gen(function* () {
    const limiter = yield* InboundLimiter
    const upgrades = yield* UpgradeRoutes
    yield* upgrades.guard((request) => {
      const verdict = limiter.admitAddress(request.socket.remoteAddress ?? "unknown")
      return verdict.admitted
        ? undefined
        : {
            status: 429,
            headers: { "retry-after": String(verdict.retryAfterSeconds) },
            body: {
              _tag: "TooManyRequests",
              message: "Too many requests from this address",
              retryAfterSeconds: verdict.retryAfterSeconds,
            },
          }
    })
  }),
)
