// A voice call's retry outlives the gateway that scheduled it: its instant is in the call's row, and the next
// gateway on the same database places it when it falls due.
import path from "node:path"
import { HttpClientRequest } from "@effect/platform"
import { expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import type { DatabaseTarget } from "../../src/store/Database.js"
import { VoiceCallsRepo } from "../../src/store/VoiceCallsRepo.js"
import { serverUrl, testDatabaseTarget } from "../support/testDatabase.js"
import { asAdmin, temporaryDataDir } from "../support/testGateway.js"
import { eventually, ledger } from "../support/upstream.js"
import { VoiceTestGateway } from "../support/voiceGateway.js"

const busyVendor = "+919800000991"

/** One database that outlives each gateway run on it: a server database, or PGlite in a folder. */
const sharedDatabase = Option.isSome(serverUrl)
  ? testDatabaseTarget
  : Effect.map(
      temporaryDataDir,
      (dir): DatabaseTarget => ({ _tag: "Embedded", dataDir: Option.some(path.join(dir, "pgdata")) }),
    )

const withGateway = <A, E, R>(target: DatabaseTarget, use: Effect.Effect<A, E, R>) =>
  Effect.scoped(
    Effect.flatMap(Layer.build(VoiceTestGateway(() => ({}), {}, Effect.succeed(target))), (services) =>
      Effect.provide(use, services),
    ),
  )

const admin = (method: "POST" | "PUT", route: string, body: unknown) =>
  Effect.flatMap(asAdmin, (client) =>
    client.execute(HttpClientRequest.make(method)(route).pipe(HttpClientRequest.bodyUnsafeJson(body))).pipe(
      Effect.flatMap((r) => Effect.map(r.json, (json) => ({ status: r.status, json }))),
      Effect.scoped,
    ),
  )

it.live(
  "a retry due after the gateway stopped is placed by the next gateway, once",
  () =>
    Effect.scoped(
      Effect.gen(function* () {
        const target = yield* sharedDatabase
        const callId = yield* withGateway(
          target,
          Effect.gen(function* () {
            const retry = yield* admin("PUT", "/api/exotel/config/retry", {
              maxAttempts: 2,
              initialDelaySeconds: 3,
              backoffMultiplier: 1,
              maxDelaySeconds: 3,
              retryOnBusy: true,
              retryOnNoAnswer: true,
              retryOnNetworkError: true,
              jitter: 0,
            })
            expect(retry.status).toBe(200)
            const placed = yield* admin("POST", "/api/exotel/nerve/vendor/confirm", {
              orderId: 4242,
              vendorId: 67,
              vendorPhone: busyVendor,
              vendorName: "Sharma Dhaba",
              orderAmount: 450,
              itemCount: 3,
            })
            expect(placed.status).toBe(200)
            const { callId } = placed.json as { callId: string }
            const repo = yield* VoiceCallsRepo
            const stored = yield* eventually(
              repo.find(callId),
              (s) => Option.isSome(s) && s.value.record.status === "busy",
              "15 seconds",
            )
            expect(Option.map(stored, (s) => s.nextRetryAt)).toEqual(Option.some(expect.any(String)))
            return callId
          }),
        )
        // The first gateway is gone before the retry fell due; the second finds it in the row.
        yield* withGateway(
          target,
          Effect.gen(function* () {
            const repo = yield* VoiceCallsRepo
            const retried = yield* eventually(
              repo.find(callId),
              (s) =>
                Option.isSome(s) && s.value.record.attemptNumber === 2 && s.value.record.status === "busy",
              "20 seconds",
            )
            expect(Option.map(retried, (s) => s.record.attemptNumber)).toEqual(Option.some(2))
            const placedHere = (yield* ledger)
              .all()
              .filter((e) => e.kind === "call" && e.fields.From === busyVendor)
            expect(placedHere).toHaveLength(1)
            // Attempts exhausted: nothing more is due.
            expect(Option.map(retried, (s) => s.nextRetryAt)).toEqual(Option.some(null))
          }),
        )
      }),
    ),
  90_000,
)
