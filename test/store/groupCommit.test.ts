// Group commit: what arrives while a write is in flight goes together in the next one; two steps of one call never
// share a batch; a batch that fails is written again one by one, so only the bad step fails.
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber } from "effect"
import { makeBatcher, makeGroupCommit } from "../../src/store/groupCommit.js"

interface Step {
  readonly call: string
  readonly n: number
}

describe("group commit", () => {
  it.scoped("writes what arrived during a write in one batch, and answers each step for itself", () =>
    Effect.gen(function* () {
      const batches: Array<ReadonlyArray<Step>> = []
      const gate = yield* Deferred.make<void>()
      const submit = yield* makeGroupCommit<Step>({
        keyOf: (s) => s.call,
        maxBatch: 100,
        write: (batch) =>
          Effect.gen(function* () {
            batches.push(batch)
            // The first write is held open, so the rest queue up behind it.
            if (batches.length === 1) yield* Deferred.await(gate)
            return new Set(batch.filter((s) => s.n % 2 === 0).map((s) => s.call))
          }),
      })
      const first = yield* Effect.fork(submit({ call: "c0", n: 0 }))
      yield* Effect.yieldNow()
      const rest = yield* Effect.fork(
        Effect.forEach(
          Array.from({ length: 50 }, (_, i) => ({ call: `c${i + 1}`, n: i + 1 })),
          submit,
          { concurrency: "unbounded" },
        ),
      )
      yield* Effect.repeatN(Effect.yieldNow(), 20)
      yield* Deferred.succeed(gate, undefined)
      expect(yield* Fiber.join(first)).toBe(true)
      const answers = yield* Fiber.join(rest)
      expect(answers).toEqual(Array.from({ length: 50 }, (_, i) => (i + 1) % 2 === 0))
      expect(batches.map((b) => b.length)).toEqual([1, 50])
    }),
  )

  it.scoped("keeps two steps of one call in separate batches, in the order they came", () =>
    Effect.gen(function* () {
      const batches: Array<ReadonlyArray<Step>> = []
      const submit = yield* makeGroupCommit<Step>({
        keyOf: (s) => s.call,
        maxBatch: 100,
        write: (batch) => Effect.sync(() => batches.push(batch)).pipe(Effect.as(new Set<string>())),
      })
      yield* Effect.forEach(
        [
          { call: "a", n: 1 },
          { call: "a", n: 2 },
          { call: "b", n: 1 },
          { call: "a", n: 3 },
        ],
        submit,
        { concurrency: "unbounded" },
      )
      for (const batch of batches) expect(new Set(batch.map((s) => s.call)).size).toBe(batch.length)
      expect(
        batches
          .flat()
          .filter((s) => s.call === "a")
          .map((s) => s.n),
      ).toEqual([1, 2, 3])
    }),
  )

  it.scoped("fails only the step that cannot be written when its batch fails", () =>
    Effect.gen(function* () {
      let writes = 0
      const submit = yield* makeGroupCommit<Step>({
        keyOf: (s) => s.call,
        maxBatch: 100,
        write: (batch) =>
          Effect.suspend(() => {
            writes++
            return batch.some((s) => s.n < 0)
              ? Effect.dieMessage("invalid input syntax")
              : Effect.succeed(new Set(batch.map((s) => s.call)))
          }),
      })
      const results = yield* Effect.forEach(
        [
          { call: "good1", n: 1 },
          { call: "bad", n: -1 },
          { call: "good2", n: 2 },
        ],
        (s) => Effect.exit(submit(s)),
        { concurrency: "unbounded" },
      )
      expect(results.map(Exit.isSuccess)).toEqual([true, false, true])
      expect(writes).toBeGreaterThan(1)
    }),
  )

  it.scoped(
    "reads in batches too: each caller gets its own key's answer, and the absent value for a missing one",
    () =>
      Effect.gen(function* () {
        const batches: Array<ReadonlyArray<string>> = []
        const gate = yield* Deferred.make<void>()
        const stored = new Map([
          ["a", 1],
          ["b", 2],
        ])
        const find = yield* makeBatcher<string, number | null>({
          keyOf: (id) => id,
          absent: null,
          maxBatch: 100,
          run: (ids) =>
            Effect.gen(function* () {
              batches.push(ids)
              if (batches.length === 1) yield* Deferred.await(gate)
              return new Map(
                ids.flatMap((id) => (stored.has(id) ? [[id, stored.get(id) ?? 0] as const] : [])),
              )
            }),
        })
        const first = yield* Effect.fork(find("a"))
        yield* Effect.yieldNow()
        const rest = yield* Effect.fork(Effect.forEach(["b", "missing"], find, { concurrency: "unbounded" }))
        yield* Effect.repeatN(Effect.yieldNow(), 20)
        yield* Deferred.succeed(gate, undefined)
        expect(yield* Fiber.join(first)).toBe(1)
        expect(yield* Fiber.join(rest)).toEqual([2, null])
        expect(batches).toEqual([["a"], ["b", "missing"]])
      }),
  )
})
