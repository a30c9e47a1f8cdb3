// The supervisor of live call sessions: one fiber per call id with a bounded mailbox, after the model of an
// @effect/cluster Entity. It spawns, finds, sends, stops, restarts a crashed session (the session reloads its
// state from the database) and drains every session on shutdown.
import {
  Cause,
  Context,
  Deferred,
  Effect,
  Exit,
  Fiber,
  Layer,
  Metric,
  Option,
  Queue,
  Ref,
  SynchronizedRef,
} from "effect"
import type { StreamLink } from "../stream/StreamLink.js"
import type { SessionMessage } from "./SessionMessage.js"

/** Control messages queue here; media never does, so 64 is ample and a flood of callbacks waits its turn. */
export const mailboxCapacity = 64
const maxRestarts = 5

export interface SessionContext {
  readonly callId: string
  readonly mailbox: Queue.Queue<SessionMessage>
  /** How many times this session was restarted after a crash. */
  readonly restarts: number
  /** The call's voice stream, if connected. Process-local, held by the registry so it survives a restart. */
  readonly link: Ref.Ref<Option.Option<StreamLink>>
}

/** A session's behaviour: runs until the call is done with it, and is re-run from scratch after a crash. */
export type Behaviour = (context: SessionContext) => Effect.Effect<void>

interface Entry {
  readonly mailbox: Queue.Queue<SessionMessage>
  readonly link: Ref.Ref<Option.Option<StreamLink>>
  readonly current: Ref.Ref<Option.Option<Fiber.RuntimeFiber<void>>>
  readonly stopping: Ref.Ref<boolean>
  readonly done: Deferred.Deferred<void>
}

export interface CallRegistryShape {
  /** Starts a session unless one is live for this call; either way the message is delivered. */
  readonly deliver: (callId: string, behaviour: Behaviour, message: SessionMessage) => Effect.Effect<void>
  /** Sends to a live session; false when none is live. */
  readonly send: (callId: string, message: SessionMessage) => Effect.Effect<boolean>
  readonly isLive: (callId: string) => Effect.Effect<boolean>
  /** Stops a session after what is in its mailbox, and waits for it. */
  readonly stop: (callId: string) => Effect.Effect<void>
  /** Interrupts a session's fiber as a crash would; the supervisor restarts it. For drills and tests. */
  readonly kill: (callId: string) => Effect.Effect<boolean>
  readonly size: Effect.Effect<number>
  /** Waits until the given session has ended for good. */
  readonly awaitEnd: (callId: string) => Effect.Effect<void>
}

export class CallRegistry extends Context.Tag("CallRegistry")<CallRegistry, CallRegistryShape>() {}

export const sessionRestarts = Metric.counter("voice_session_restarts_total")

export const CallRegistryLive = Layer.scoped(
  CallRegistry,
  Effect.gen(function* () {
    const entries = yield* SynchronizedRef.make(new Map<string, Entry>())
    const scope = yield* Effect.scope

    const supervise = (callId: string, entry: Entry, behaviour: Behaviour) =>
      Effect.gen(function* () {
        let restarts = 0
        while (true) {
          const fiber = yield* Effect.fork(
            behaviour({ callId, mailbox: entry.mailbox, restarts, link: entry.link }),
          )
          yield* Ref.set(entry.current, Option.some(fiber))
          const exit = yield* Fiber.await(fiber)
          yield* Ref.set(entry.current, Option.none())
          const stopping = yield* Ref.get(entry.stopping)
          // Finished, but a message slipped in after its last look at the mailbox: run again for it.
          const remove = yield* SynchronizedRef.modify(entries, (map) => {
            const pending =
              Exit.isSuccess(exit) &&
              !stopping &&
              entry.mailbox.unsafeSize().pipe(Option.getOrElse(() => 0)) > 0
            if (pending || Exit.isFailure(exit)) return [false, map] as const
            const next = new Map(map)
            next.delete(callId)
            return [true, next] as const
          })
          if (remove) return
          if (Exit.isFailure(exit)) {
            if (stopping) {
              yield* SynchronizedRef.update(entries, (map) => {
                const next = new Map(map)
                next.delete(callId)
                return next
              })
              return
            }
            restarts++
            yield* Metric.increment(sessionRestarts)
            if (restarts > maxRestarts) {
              yield* Effect.logError("Call session keeps crashing; giving up on it").pipe(
                Effect.annotateLogs({ callId, cause: Cause.pretty(exit.cause) }),
              )
              yield* SynchronizedRef.update(entries, (map) => {
                const next = new Map(map)
                next.delete(callId)
                return next
              })
              return
            }
            yield* Effect.logWarning("Call session crashed; restarting it from its persisted state").pipe(
              Effect.annotateLogs({ callId, restarts, cause: Cause.pretty(exit.cause) }),
            )
          }
        }
      }).pipe(Effect.ensuring(Deferred.succeed(entry.done, undefined)))

    const spawnIfAbsent = (callId: string, behaviour: Behaviour) =>
      SynchronizedRef.modifyEffect(entries, (map) => {
        const existing = map.get(callId)
        if (existing !== undefined) return Effect.succeed([existing, map] as const)
        return Effect.gen(function* () {
          const entry: Entry = {
            mailbox: yield* Queue.bounded<SessionMessage>(mailboxCapacity),
            link: yield* Ref.make(Option.none<StreamLink>()),
            current: yield* Ref.make(Option.none<Fiber.RuntimeFiber<void>>()),
            stopping: yield* Ref.make(false),
            done: yield* Deferred.make<void>(),
          }
          yield* Effect.forkIn(supervise(callId, entry, behaviour), scope)
          const next = new Map(map)
          next.set(callId, entry)
          return [entry, next] as const
        })
      })

    const lookup = (callId: string) =>
      Effect.map(SynchronizedRef.get(entries), (map) => Option.fromNullable(map.get(callId)))

    const stopEntry = (entry: Entry) =>
      Effect.gen(function* () {
        yield* Ref.set(entry.stopping, true)
        yield* Queue.offer(entry.mailbox, { _tag: "Drain" })
        yield* Deferred.await(entry.done)
      })

    // Drain on shutdown: every session finishes what is in its mailbox (its state is already persisted);
    // one that does not finish in 5 s is interrupted with the scope.
    yield* Effect.addFinalizer(() =>
      Effect.gen(function* () {
        const all = [...(yield* SynchronizedRef.get(entries)).values()]
        yield* Effect.forEach(all, stopEntry, { concurrency: "unbounded", discard: true }).pipe(
          Effect.timeout("5 seconds"),
          Effect.ignore,
        )
      }),
    )

    return CallRegistry.of({
      // A live session takes the message without the spawn lock: every digit of every call went through
      // that one lock before.
      deliver: (callId, behaviour, message) =>
        Effect.flatMap(lookup(callId), (live) =>
          Effect.flatMap(
            Option.isSome(live) ? Effect.succeed(live.value) : spawnIfAbsent(callId, behaviour),
            (entry) => Queue.offer(entry.mailbox, message),
          ),
        ),
      send: (callId, message) =>
        Effect.flatMap(lookup(callId), (entry) =>
          Option.isNone(entry)
            ? Effect.succeed(false)
            : Effect.as(Queue.offer(entry.value.mailbox, message), true),
        ),
      isLive: (callId) => Effect.map(lookup(callId), Option.isSome),
      stop: (callId) =>
        Effect.flatMap(lookup(callId), Option.match({ onNone: () => Effect.void, onSome: stopEntry })),
      kill: (callId) =>
        Effect.flatMap(lookup(callId), (entry) =>
          Option.isNone(entry)
            ? Effect.succeed(false)
            : Effect.flatMap(Ref.get(entry.value.current), (fiber) =>
                Option.isNone(fiber) ? Effect.succeed(false) : Effect.as(Fiber.interrupt(fiber.value), true),
              ),
        ),
      size: Effect.map(SynchronizedRef.get(entries), (map) => map.size),
      awaitEnd: (callId) =>
        Effect.flatMap(
          lookup(callId),
          Option.match({ onNone: () => Effect.void, onSome: (e) => Deferred.await(e.done) }),
        ),
    })
  }),
)
