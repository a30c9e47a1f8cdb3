// `npm start` with SIMULATE_CALLS=1: one vendor confirmation is placed at start and its domain events are
// logged, so a fresh machine shows the whole flow end to end. The demo is a client of the library's services,
// as a backend embedding the gateway would be; in simulator mode the call reaches the in-process Exotel
// simulator, whose simulated vendor (SimulatedCallees) presses 1, then 2 5 #.
import { Config, Effect, Layer, Stream } from "effect"
import { subscribeEvents } from "../services/GatewayEvents.js"
import { VoiceFlows } from "../services/VoiceFlows.js"

/** Places one vendor confirmation and logs every domain event it produces. */
export const SimulatedDemoLive = Layer.scopedDiscard(
  Effect.gen(function* () {
    const enabled = yield* Config.boolean("SIMULATE_CALLS").pipe(Config.withDefault(false), Effect.orDie)
    if (!enabled) return
    const flows = yield* VoiceFlows
    const events = yield* subscribeEvents
    yield* Effect.forkScoped(
      Stream.runForEach(events, (event) =>
        Effect.logInfo("Domain event").pipe(Effect.annotateLogs({ ...event })),
      ),
    )
    yield* flows
      .confirmVendorOrder({
        orderId: 12345,
        vendorId: 67,
        vendorPhone: "+919876543210",
        vendorName: "Sharma Dhaba",
        orderAmount: 450,
        itemCount: 3,
        language: "en",
      })
      .pipe(
        Effect.tap((started) =>
          Effect.logInfo("Simulated vendor confirmation placed").pipe(Effect.annotateLogs({ ...started })),
        ),
        Effect.catchAll((e) =>
          Effect.logWarning("Simulated call failed").pipe(Effect.annotateLogs({ error: e.message })),
        ),
        Effect.forkScoped,
      )
  }),
)
