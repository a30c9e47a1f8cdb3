// The live calls' "prompt playing": a vendor call's session says when a prompt starts and again when it has been
// heard out, over the console's event stream, as a simulated vendor answers over the voice stream. No browser:
// the stream is what the console's live calls view reads.
import { expect, layer } from "@effect/vitest"
import { Effect, Fiber, Layer } from "effect"
import { SimulatedCalleesLive } from "../../src/sim/streamCaller/SimulatedCallees.js"
import { post } from "../support/upstream.js"
import { GatewayUrl, VoiceTestGateway } from "../support/voiceGateway.js"

const gateway = VoiceTestGateway().pipe(Layer.provide(SimulatedCalleesLive))

interface Step {
  readonly _tag: string
  readonly callId?: string
  readonly prompt?: string | null
  readonly promptPlaying?: boolean
  readonly ended?: boolean
}

/** The console's Nerve call steps, read from a fresh stream (opened before `opened` resolves) until one has ended. */
const stepsUntilEnded = (base: string, token: string, opened: () => void) =>
  Effect.promise(async () => {
    const abort = new AbortController()
    const response = await fetch(`${base}/api/exotel/console/events`, {
      headers: { authorization: `Bearer ${token}` },
      signal: abort.signal,
    })
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader()
    const steps: Array<Step> = []
    let buffered = ""
    opened()
    while (reader !== undefined && !steps.some((s) => s.ended === true)) {
      const { done, value } = await reader.read()
      if (done) break
      buffered += value
      const lines = buffered.split("\n")
      buffered = lines.pop() ?? ""
      for (const line of lines) {
        if (!line.startsWith("data: ")) continue
        const event = JSON.parse(line.slice(6)) as Step
        if (event._tag === "VoiceCallStep") steps.push(event)
      }
    }
    abort.abort()
    return steps
  }).pipe(Effect.timeout("40 seconds"))

layer(gateway, { timeout: 60_000, excludeTestServices: true })("a prompt playing", (it) => {
  it.effect("is reported when it starts and again once it has been heard out", () =>
    Effect.gen(function* () {
      const { http } = yield* GatewayUrl
      const viewer = String((yield* post("/api-keys", { name: "prompt watcher", role: "viewer" })).body.key)
      let markOpened: () => void = () => undefined
      const opened = new Promise<void>((resolve) => {
        markOpened = resolve
      })
      const watching = yield* Effect.fork(stepsUntilEnded(http, viewer, () => markOpened()))
      yield* Effect.promise(() => opened)
      const placed = yield* post("/nerve/vendor/confirm", {
        orderId: 5151,
        vendorId: 9,
        vendorPhone: "919876500009",
        vendorName: "Gupta Bhojanalaya",
        orderAmount: 320,
        itemCount: 2,
        language: "en",
      })
      expect(placed.status).toBe(200)
      const steps = yield* Fiber.join(watching)
      // The simulated vendor presses 1 while the offer plays (cutting it off: the next step says what plays now)
      // and types the minutes only once the question has been heard out.
      expect(steps.map((s) => [s.prompt, s.promptPlaying])).toEqual([
        ["vendor_offer", true],
        ["prep_time_question", true],
        ["prep_time_question", false],
        [null, false],
        [null, false],
        ["thanks_prep_time", true],
      ])
      expect(steps.at(-1)?.ended).toBe(true)
    }),
  )
})
