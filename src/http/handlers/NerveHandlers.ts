// The Nerve endpoints: thin — decode, hand to VoiceCalls or the repository, shape the answer.
import { HttpApiBuilder } from "@effect/platform"
import { Effect, Option } from "effect"
import { type PlacementFailed, VoiceCalls } from "../../actors/VoiceCalls.js"
import { GatewayEnv } from "../../config/Env.js"
import { Conflict, NotFound } from "../../domain/errors.js"
import { riderCallOf, vendorCallOf } from "../../services/VoiceFlows.js"
import { VoiceCallsRepo } from "../../store/VoiceCallsRepo.js"
import { BadGateway } from "../api/NerveApi.js"
import { GatewayApi } from "../GatewayApi.js"

const periodHours = { "24h": 24, "7d": 24 * 7, "30d": 24 * 30 } as const

const badGateway = (e: PlacementFailed) => new BadGateway({ message: e.message })

export const NerveHandlersLive = HttpApiBuilder.group(GatewayApi, "nerve", (handlers) =>
  Effect.gen(function* () {
    const calls = yield* VoiceCalls
    const repo = yield* VoiceCallsRepo
    const env = yield* GatewayEnv
    return handlers
      .handle("health", () =>
        Option.match(calls.nerve, {
          onNone: () =>
            Effect.succeed({ mode: "built-in" as const, healthy: true, url: null, latencyMs: null }),
          onSome: (nerve) =>
            Effect.map(nerve.health, (h) => ({
              mode: "external" as const,
              healthy: h.ok,
              url: Option.getOrNull(env.nerveSystemUrl),
              latencyMs: h.latencyMs,
            })),
        }),
      )
      .handle("vendorConfirm", ({ payload }) =>
        calls.start(vendorCallOf(payload)).pipe(Effect.mapError(badGateway)),
      )
      .handle("riderAssign", ({ payload }) =>
        calls.start(riderCallOf(payload)).pipe(Effect.mapError(badGateway)),
      )
      .handle("byOrder", ({ path }) =>
        Effect.map(repo.findByOrder(path.orderId), (rows) => ({ orderId: path.orderId, calls: rows })),
      )
      .handle("stats", ({ urlParams }) =>
        Effect.map(repo.stats(periodHours[urlParams.period]), (s) => ({
          period: urlParams.period,
          ...s,
          acceptanceRate:
            s.accepted + s.rejected === 0
              ? null
              : Math.round((s.accepted / (s.accepted + s.rejected)) * 1000) / 1000,
        })),
      )
      .handle("retry", ({ path }) =>
        Effect.gen(function* () {
          const stored = yield* repo.find(path.callId)
          if (Option.isNone(stored)) return yield* new NotFound({ message: `No voice call ${path.callId}` })
          return yield* calls
            .retry(path.callId)
            .pipe(
              Effect.mapError((e) =>
                e.message.includes("cannot be retried")
                  ? new Conflict({ message: e.message })
                  : badGateway(e),
              ),
            )
        }),
      )
  }),
)
