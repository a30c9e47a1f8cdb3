// The supervisor of live call sessions: one fiber per call id with a bounded mailbox, after the model of an
// @effect/cluster Entity. It spawns, finds, sends, stops, restarts a crashed session (the session reloads its
// state from the database) and drains every session on shutdown.
import { Cause, Context, Deferred, Effect, Exit, Fiber, Layer, Metric, Option, Queue, Ref } from "effect"
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
  readonly done: Deferred.Deferred<void>
  /** The behaviour's fiber while it runs; none between a crash and its restart. */
  current: Option.Option<Fiber.RuntimeFiber<void>>
  stopping: boolean
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
    // Plain, not in a Ref: every read and write of it is one synchronous step, so no fiber sees it half-changed,
    // and a spawn no longer copies a map as large as the number of live calls.
    const entries = new Map<string, Entry>()
    const scope = yield* Effect.scope

    const removeIfCurrent = (callId: string, entry: Entry) => {
      if (entries.get(callId) === entry) entries.delete(callId)
    }

    const supervise = (callId: string, entry: Entry, behaviour: Behaviour) =>
      Effect.gen(function* () {
        let restarts = 0
        while (true) {
          const fiber = yield* Effect.fork(
            behaviour({ callId, mailbox: entry.mailbox, restarts, link: entry.link }),
          )
          entry.current = Option.some(fiber)
          const exit = yield* Fiber.await(fiber)
          entry.current = Option.none()
          // Finished, but a message slipped in after its last look at the mailbox: run again for it.
          const pending =
            Exit.isSuccess(exit) &&
            !entry.stopping &&
            entry.mailbox.unsafeSize().pipe(Option.getOrElse(() => 0)) > 0
          if (Exit.isSuccess(exit) && !pending) return removeIfCurrent(callId, entry)
          if (pending) continue
          if (Exit.isFailure(exit)) {
            if (entry.stopping) return removeIfCurrent(callId, entry)
            restarts++
            yield* Metric.increment(sessionRestarts)
            if (restarts > maxRestarts) {
              yield* Effect.logError("Call session keeps crashing; giving up on it").pipe(
                Effect.annotateLogs({ callId, cause: Cause.pretty(exit.cause) }),
              )
              return removeIfCurrent(callId, entry)
            }
            yield* Effect.logWarning("Call session crashed; restarting it from its persisted state").pipe(
              Effect.annotateLogs({ callId, restarts, cause: Cause.pretty(exit.cause) }),
            )
          }
        }
      }).pipe(Effect.ensuring(Deferred.succeed(entry.done, undefined)))

    const spawnIfAbsent = (callId: string, behaviour: Behaviour) =>
      Effect.gen(function* () {
        const existing = entries.get(callId)
        if (existing !== undefined) return existing
        const entry: Entry = {
          mailbox: yield* Queue.bounded<SessionMessage>(mailboxCapacity),
          link: yield* Ref.make(Option.none<StreamLink>()),
          done: yield* Deferred.make<void>(),
          current: Option.none(),
          stopping: false,
        }
        // Another fiber may have spawned this call while the entry was made: its session is the one.
        const raced = entries.get(callId)
        if (raced !== undefined) return raced
        // An entry in the map always has its supervisor: the two happen together or not at all.
        yield* Effect.uninterruptibleMask((restore) =>
          Effect.zipRight(
            Effect.sync(() => entries.set(callId, entry)),
            Effect.forkIn(restore(supervise(callId, entry, behaviour)), scope),
          ),
        )
        return entry
      })

    const lookup = (callId: string) => Effect.sync(() => Option.fromNullable(entries.get(callId)))

    const stopEntry = (entry: Entry) =>
      Effect.gen(function* () {
        entry.stopping = true
        yield* Queue.offer(entry.mailbox, { _tag: "Drain" })
        yield* Deferred.await(entry.done)
      })

    // Drain on shutdown: every session finishes what is in its mailbox (its state is already persisted);
    // one that does not finish in 5 s is interrupted with the scope.
    yield* Effect.addFinalizer(() =>
      Effect.forEach([...entries.values()], stopEntry, { concurrency: "unbounded", discard: true }).pipe(
        Effect.timeout("5 seconds"),
        Effect.ignore,
      ),
    )

    return CallRegistry.of({
      deliver: (callId, behaviour, message) =>
        Effect.flatMap(spawnIfAbsent(callId, behaviour), (entry) => Queue.offer(entry.mailbox, message)),
      send: (callId, message) =>
        Effect.suspend(() => {
          const entry = entries.get(callId)
          return entry === undefined
            ? Effect.succeed(false)
            : Effect.as(Queue.offer(entry.mailbox, message), true)
        }),
      isLive: (callId) => Effect.sync(() => entries.has(callId)),
      stop: (callId) =>
        Effect.flatMap(lookup(callId), Option.match({ onNone: () => Effect.void, onSome: stopEntry })),
      kill: (callId) =>
        Effect.suspend(() => {
          const fiber = Option.flatMap(Option.fromNullable(entries.get(callId)), (entry) => entry.current)
          return Option.isNone(fiber) ? Effect.succeed(false) : Effect.as(Fiber.interrupt(fiber.value), true)
        }),
      size: Effect.sync(() => entries.size),
      awaitEnd: (callId) =>
        Effect.flatMap(
          lookup(callId),
          Option.match({ onNone: () => Effect.void, onSome: (e) => Deferred.await(e.done) }),
        ),
    })
  }),
)
