// Recorded prompts across the processes of a fleet: each holds the recordings in memory, and one process sees
// another's upload and removal at its next look (every half minute), reading the audio only when it changed.
import { expect, layer } from "@effect/vitest"
import { Context, Effect, Layer, Option, TestClock } from "effect"
import { RecordedPromptsRepoLive } from "../../src/store/RecordedPromptsRepo.js"
import { tones } from "../../src/stream/audio.js"
import { RecordedPrompts, RecordedPromptsLive } from "../../src/stream/speech/RecordedPrompts.js"
import { wavFile } from "../../src/stream/wav.js"
import { TestCoreLive } from "../support/testGateway.js"

const aProcess = Effect.map(
  Layer.build(RecordedPromptsLive.pipe(Layer.provide(RecordedPromptsRepoLive))),
  (context) => Context.get(context, RecordedPrompts),
)

/** The look runs on the test clock but reads the database on the real one: wait for it to land. */
const until = (done: () => boolean) =>
  Effect.gen(function* () {
    for (let i = 0; i < 100 && !done(); i++)
      yield* Effect.promise(() => new Promise((r) => setTimeout(r, 20)))
    return done()
  })

layer(TestCoreLive(), { timeout: 60_000 })("recorded prompts in a fleet", (it) => {
  it.scoped("a process sees another's upload and removal at its next look", () =>
    Effect.gen(function* () {
      const one = yield* aProcess
      const two = yield* aProcess
      const heldByTwo = () => Option.isSome(two.find("thanks_accepted", "en", 16000))
      yield* one.put("thanks_accepted", "en", wavFile(tones([440], 500, 8000), 8000))
      expect(Option.map(one.find("thanks_accepted", "en", 16000), (pcm) => pcm.length)).toEqual(
        Option.some(16000),
      )
      expect(heldByTwo()).toBe(false)
      yield* TestClock.adjust("31 seconds")
      expect(yield* until(heldByTwo)).toBe(true)
      expect(yield* one.remove("thanks_accepted", "en")).toBe(true)
      yield* TestClock.adjust("31 seconds")
      expect(yield* until(() => !heldByTwo())).toBe(true)
      // A third process, started now, holds what the database holds: nothing.
      const three = yield* aProcess
      expect(Option.isNone(three.find("thanks_accepted", "en", 8000))).toBe(true)
    }),
  )
})
