// `npm start` with SIMULATE_CALLS=1: one vendor confirmation is placed at start and its domain events are
// logged, so a fresh machine shows the whole flow end to end. In simulator mode the call goes to the
// in-process Exotel simulator, whose simulated vendor (SimulatedCallees) presses 1, then 2 5 #.
import { Config, Effect, Layer, Stream } from "effect"
import { DomainEvents } from "../actors/DomainEvents.js"
import { VoiceCalls } from "../actors/VoiceCalls.js"
import { E164 } from "../domain/PhoneNumber.js"

/** Places one vendor confirmation and logs every domain event it produces. */
export const SimulatedDemoLive = Layer.effectDiscard(
  Effect.gen(function* () {
    const enabled = yield* Config.boolean("SIMULATE_CALLS").pipe(Config.withDefault(false), Effect.orDie)
    if (!enabled) return
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
