// The gateway's domain events for code that embeds it: a Stream, or handlers by event type — the Effect form of
// the seed's @OnEvent('VENDOR_ACCEPTED') handlers. Webhook delivery goes on regardless of who listens here.
import { Effect, Option, type Scope, Stream } from "effect"
import { DomainEvents } from "../actors/DomainEvents.js"
import type { DomainEvent } from "../domain/VoiceCall.js"

/** Every event published from the moment the scope opens the subscription. */
export const subscribeEvents: Effect.Effect<
  Stream.Stream<DomainEvent>,
  never,
  DomainEvents | Scope.Scope
> = Effect.flatMap(DomainEvents, (events) => events.subscribe)

export type EventHandlers<R> = {
  readonly [T in DomainEvent["type"]]?: (
    event: DomainEvent & { readonly type: T },
  ) => Effect.Effect<void, never, R>
}

/**
 * Runs a handler for each event of the types given, in order, for as long as the scope is open. The
 * subscription is taken before this returns, so no event published afterwards is missed. A handler that
 * fails with a defect is logged and the next event is still handled.
 */
export const handleEvents = <R>(handlers: EventHandlers<R>) =>
  Effect.gen(function* () {
    const stream = yield* subscribeEvents
    yield* stream.pipe(
      Stream.runForEach((event) =>
        Option.match(Option.fromNullable(handlers[event.type]), {
          onNone: () => Effect.void,
          onSome: (handle) =>
            (handle as (e: DomainEvent) => Effect.Effect<void, never, R>)(event).pipe(
              Effect.catchAllDefect((defect) =>
                Effect.logError("An event handler died").pipe(
                  Effect.annotateLogs({ type: event.type, defect }),
                ),
              ),
            ),
        }),
      ),
      Effect.forkScoped,
    )
  })
