// `npm start` with SIMULATE_CALLS=1: the stand-in Exotel peer answers Calls/connect on SIM_EXOTEL_PORT (3199),
// every placed call is answered by a simulated vendor who presses 1, then 2 5 #, and one vendor confirmation
// is placed at start so a fresh machine shows the whole flow end to end in its log.
import { Config, ConfigProvider, Effect, Layer, Option, Stream } from "effect"
import { DomainEvents } from "../actors/DomainEvents.js"
import { VoiceCalls } from "../actors/VoiceCalls.js"
import { E164 } from "../domain/PhoneNumber.js"
import { startExotelConnectPeer } from "./streamCaller/ExotelConnectPeer.js"

const vendorWhoAccepts = {
  kind: "answer" as const,
  script: {
    digits: [
      { atMs: 1500, digit: "1" },
      { atMs: 3500, digit: "2" },
      { atMs: 3700, digit: "5" },
      { atMs: 3900, digit: "#" },
    ],
    maxMs: 60_000,
  },
}

export const simulatorSettings = Effect.gen(function* () {
  const enabled = yield* Config.boolean("SIMULATE_CALLS").pipe(Config.withDefault(false))
  const port = yield* Config.port("SIM_EXOTEL_PORT").pipe(Config.withDefault(3199))
  return { enabled, port }
})

/** Starts the peer and points EXOTEL_SERVICE_URL at it (unless set) for the program it wraps. */
export const withSimulatedExotel = <A, E, R>(program: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const sim = yield* Effect.orDie(simulatorSettings)
    if (!sim.enabled) return yield* program
    const peer = yield* Effect.acquireRelease(
      Effect.promise(() => startExotelConnectPeer(() => vendorWhoAccepts, sim.port)),
      (p) => Effect.promise(p.close),
    )
    yield* Effect.logInfo("Simulated Exotel answering Calls/connect").pipe(
      Effect.annotateLogs({ url: peer.url }),
    )
    const provider = ConfigProvider.fromMap(new Map([["EXOTEL_SERVICE_URL", peer.url]])).pipe(
      ConfigProvider.orElse(() => ConfigProvider.fromEnv()),
    )
    const useEnv = Option.isSome(yield* Config.option(Config.string("EXOTEL_SERVICE_URL")).pipe(Effect.orDie))
    return yield* useEnv ? program : Effect.withConfigProvider(program, provider)
  }).pipe(Effect.scoped)

/** Places one vendor confirmation and logs every domain event it produces. */
export const SimulatedDemoLive = Layer.effectDiscard(
  Effect.gen(function* () {
    const sim = yield* Effect.orDie(simulatorSettings)
    if (!sim.enabled) return
    const calls = yield* VoiceCalls
    const events = yield* DomainEvents
    yield* Effect.forkDaemon(
      Effect.scoped(
        Effect.gen(function* () {
          const stream = yield* events.subscribe
          yield* Effect.forkScoped(
            Stream.runForEach(stream, (event) =>
              Effect.logInfo("Domain event").pipe(Effect.annotateLogs({ ...event })),
            ),
          )
          const started = yield* calls.start({
            callType: "vendor_confirmation",
            orderId: 12345,
            vendorId: 67,
            riderId: null,
            phone: E164.make("+919876543210"),
            language: "en",
            details: {
              recipientName: "Sharma Dhaba",
              orderId: 12345,
              orderAmount: 450,
              itemCount: 3,
              vendorName: "Sharma Dhaba",
              vendorAddress: null,
            },
            nerveBody: {},
          })
          yield* Effect.logInfo("Simulated vendor confirmation placed").pipe(
            Effect.annotateLogs({ ...started }),
          )
          yield* Effect.never
        }),
      ).pipe(
        Effect.catchAll((e) =>
          Effect.logWarning("Simulated call failed").pipe(Effect.annotateLogs({ error: e.message })),
        ),
      ),
    )
  }),
)
