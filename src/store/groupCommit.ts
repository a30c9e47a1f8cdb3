// Group commit, and its reading twin: what arrives while a statement is in flight goes together in the next one.
// The embedded database has one connection and runs statements one at a time (a few thousand single-row
// statements a second, a hundred thousand rows a second when they come many to a statement); under load each
// round trip also waits for the gateway's busy event loop. Hundreds of vendors pressing keys, or streams starting,
// in the same second each waited behind the others' round trips; now they share them. No added delay: an item
// alone goes at once. A batch that fails is run again one by one, so one bad row fails only its own caller.
import { Deferred, Effect, Exit, Queue } from "effect"

interface Pending<I, O> {
  readonly item: I
  readonly done: Deferred.Deferred<O>
}

/**
 * `run` takes a batch whose items all have different keys and answers each key's result; a key it leaves out gets
 * `absent`. Two items of one key never share a batch (their order matters, and one statement could not tell them
 * apart): the later waits for the next one.
 */
export const makeBatcher = <I, O>(options: {
  readonly keyOf: (item: I) => string
  readonly run: (batch: ReadonlyArray<I>) => Effect.Effect<ReadonlyMap<string, O>>
  readonly absent: O
  readonly maxBatch: number
}) =>
  Effect.gen(function* () {
    const queue = yield* Queue.unbounded<Pending<I, O>>()
    let carried: Array<Pending<I, O>> = []

    const settle = (batch: ReadonlyArray<Pending<I, O>>, exit: Exit.Exit<ReadonlyMap<string, O>>) =>
      Effect.forEach(
        batch,
        (p) =>
          Deferred.done(
            p.done,
            Exit.map(exit, (results) => results.get(options.keyOf(p.item)) ?? options.absent),
          ),
        { discard: true },
      )

    const runBatch = (batch: ReadonlyArray<Pending<I, O>>) =>
      Effect.gen(function* () {
        const exit = yield* Effect.exit(options.run(batch.map((p) => p.item)))
        if (Exit.isSuccess(exit) || batch.length === 1) return yield* settle(batch, exit)
        for (const p of batch) yield* settle([p], yield* Effect.exit(options.run([p.item])))
      })

    const next = Effect.gen(function* () {
      const arrived = carried.length > 0 ? [] : [yield* Queue.take(queue)]
      const waiting = [...carried, ...arrived, ...(yield* Queue.takeUpTo(queue, options.maxBatch))]
      const keys = new Set<string>()
      const batch: Array<Pending<I, O>> = []
      carried = []
      for (const p of waiting) {
        const key = options.keyOf(p.item)
        if (keys.has(key) || batch.length >= options.maxBatch) carried.push(p)
        else {
          keys.add(key)
          batch.push(p)
        }
      }
      yield* runBatch(batch)
    })
    yield* Effect.forkScoped(Effect.forever(next))

    return (item: I) =>
      Effect.flatMap(Deferred.make<O>(), (done) =>
        Effect.zipRight(Queue.offer(queue, { item, done }), Deferred.await(done)),
      )
  })

/** Writes in batches: `write` answers the keys it wrote fresh, and each caller learns whether its item was. */
export const makeGroupCommit = <I>(options: {
  readonly keyOf: (item: I) => string
  readonly write: (batch: ReadonlyArray<I>) => Effect.Effect<ReadonlySet<string>>
  readonly maxBatch: number
}) =>
  makeBatcher<I, boolean>({
    keyOf: options.keyOf,
    maxBatch: options.maxBatch,
    absent: false,
    run: (batch) =>
      Effect.map(options.write(batch), (fresh) => new Map([...fresh].map((key) => [key, true] as const))),
  })
