// Group commit for the voice flows' steps: what arrives while a write is in flight goes together in the next one,
// as one statement. The embedded database runs statements one at a time (a few thousand single-row writes a
// second, a hundred thousand rows a second when they come many to a statement), so hundreds of vendors pressing
// keys in the same second each waited behind the others' round trips; now they share them. No added delay: a
// write alone goes at once. A batch that fails is written again one by one, so one bad row fails only its own
// step.
import { Deferred, Effect, Exit, Queue } from "effect"

interface Pending<I> {
  readonly item: I
  readonly done: Deferred.Deferred<boolean>
}

/**
 * `write` takes a batch whose items all have different keys and answers the keys it wrote fresh. Two items of one
 * key never share a batch (their order matters, and the statement could not tell them apart): the later waits
 * for the next one.
 */
export const makeGroupCommit = <I>(options: {
  readonly keyOf: (item: I) => string
  readonly write: (batch: ReadonlyArray<I>) => Effect.Effect<ReadonlySet<string>>
  readonly maxBatch: number
}) =>
  Effect.gen(function* () {
    const queue = yield* Queue.unbounded<Pending<I>>()
    let carried: Array<Pending<I>> = []

    const settle = (batch: ReadonlyArray<Pending<I>>, exit: Exit.Exit<ReadonlySet<string>>) =>
      Effect.forEach(
        batch,
        (p) =>
          Deferred.done(
            p.done,
            Exit.map(exit, (fresh) => fresh.has(options.keyOf(p.item))),
          ),
        { discard: true },
      )

    const writeBatch = (batch: ReadonlyArray<Pending<I>>) =>
      Effect.gen(function* () {
        const exit = yield* Effect.exit(options.write(batch.map((p) => p.item)))
        if (Exit.isSuccess(exit) || batch.length === 1) return yield* settle(batch, exit)
        for (const p of batch) yield* settle([p], yield* Effect.exit(options.write([p.item])))
      })

    const next = Effect.gen(function* () {
      const arrived = carried.length > 0 ? [] : [yield* Queue.take(queue)]
      const waiting = [...carried, ...arrived, ...(yield* Queue.takeUpTo(queue, options.maxBatch))]
      const keys = new Set<string>()
      const batch: Array<Pending<I>> = []
      carried = []
      for (const p of waiting) {
        const key = options.keyOf(p.item)
        if (keys.has(key) || batch.length >= options.maxBatch) carried.push(p)
        else {
          keys.add(key)
          batch.push(p)
        }
      }
      yield* writeBatch(batch)
    })
    yield* Effect.forkScoped(Effect.forever(next))

    return (item: I) =>
      Effect.flatMap(Deferred.make<boolean>(), (done) =>
        Effect.zipRight(Queue.offer(queue, { item, done }), Deferred.await(done)),
      )
  })
