// The in-process bus of domain events (VENDOR_ACCEPTED, …): code subscribes to it as an Effect Stream.
// Events are published after the transaction that wrote them (and their outbox rows) has committed.
import { Context, Effect, Layer, PubSub, type Scope, Stream } from "effect"
import type { DomainEvent } from "../domain/VoiceCall.js"

export interface DomainEventsShape {
  readonly publish: (events: ReadonlyArray<DomainEvent>) => Effect.Effect<void>
  /** Every event published after the subscription was taken. */
  readonly subscribe: Effect.Effect<Stream.Stream<DomainEvent>, never, Scope.Scope>
}

export class DomainEvents extends Context.Tag("DomainEvents")<DomainEvents, DomainEventsShape>() {}

export const DomainEventsLive = Layer.scoped(
  DomainEvents,
  Effect.gen(function* () {
    // Sliding: a subscriber that stops reading loses the oldest events, never blocks a call session.
    const hub = yield* Effect.acquireRelease(PubSub.sliding<DomainEvent>(4096), PubSub.shutdown)
    return DomainEvents.of({
      publish: (events) =>
        events.length === 0 ? Effect.void : Effect.asVoid(PubSub.publishAll(hub, events)),
      subscribe: Effect.map(PubSub.subscribe(hub), Stream.fromQueue),
    })
  }),
)
