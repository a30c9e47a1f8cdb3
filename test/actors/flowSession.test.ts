import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import { CallRegistry } from "../../src/actors/CallRegistry.js"
import { initialState } from "../../src/actors/callFlow.js"
import { VoiceCalls } from "../../src/actors/VoiceCalls.js"
import { makeVoiceConfig, VoiceConfig } from "../../src/config/VoiceConfig.js"
import { VoiceCallsRepo } from "../../src/store/VoiceCallsRepo.js"
import type { Outbound } from "../../src/stream/protocol.js"
import type { StreamLink } from "../../src/stream/StreamLink.js"
import { TestCoreLive } from "../support/testGateway.js"

const Core = TestCoreLive().pipe(Layer.provide(Layer.succeed(VoiceConfig, makeVoiceConfig())))

/** The stream side of a session, as a list: what a caller's phone would have received. */
const recordingLink = () => {
  const sent: Array<Outbound> = []
  let closed = false
  const link: StreamLink = {
    streamSid: "MZtest",
    rate: 8000,
    send: (m) => Effect.sync(() => void sent.push(m)),
    close: Effect.sync(() => {
      closed = true
    }),
  }
  return { link, sent, isClosed: () => closed }
}

const advance = (seconds: number) =>
  Effect.forEach(
    Array.from({ length: seconds * 10 }),
    () => Effect.zipRight(TestClock.adjust("100 millis"), Effect.yieldNow()),
    {
      discard: true,
    },
  )

const newCall = (id: string) =>
  Effect.flatMap(VoiceCallsRepo, (repo) =>
    repo.insert({
      id,
      flow: initialState("vendor_confirmation", "en"),
      details: {
        recipientName: "Sharma Dhaba",
        orderId: 1,
        orderAmount: 450,
        itemCount: 3,
        vendorName: null,
        vendorAddress: null,
      },
      mode: "built-in",
      orderId: 1,
      vendorId: 67,
      riderId: null,
      phoneNumber: "+919876543210",
    }),
  )

const stepOf = (id: string) =>
  Effect.map(
    Effect.flatMap(VoiceCallsRepo, (r) => r.find(id)),
    Option.map((c) => ({ status: c.flow.status, step: c.flow.step, reprompts: c.flow.reprompts })),
  )

layer(Core, { timeout: 60_000 })("a call session on the TestClock", (it) => {
  it.effect(
    "3 s of silence after the prompt has played re-prompts; after the last re-prompt the call fails and hangs up",
    () =>
      Effect.gen(function* () {
        const calls = yield* VoiceCalls
        const { link, sent, isClosed } = recordingLink()
        yield* newCall("VC_clock_1")
        yield* calls.attachStream("VC_clock_1", link)
        yield* advance(1)
        expect(yield* stepOf("VC_clock_1")).toEqual(
          Option.some({ status: "answered", step: "decision", reprompts: 0 }),
        )
        const firstPrompt = sent.filter((m) => m.event === "media").length
        expect(firstPrompt).toBeGreaterThan(1)
        // The prompt plays in real time, then 3 s of silence: a re-prompt.
        yield* advance(8)
        expect(yield* stepOf("VC_clock_1")).toEqual(
          Option.some({ status: "answered", step: "decision", reprompts: 1 }),
        )
        expect(sent.filter((m) => m.event === "mark").length).toBeGreaterThanOrEqual(1)
        yield* advance(30)
        expect(yield* stepOf("VC_clock_1")).toEqual(
          Option.some({ status: "failed", step: null, reprompts: 2 }),
        )
        expect(isClosed()).toBe(true)
        const registry = yield* CallRegistry
        expect(yield* registry.isLive("VC_clock_1")).toBe(false)
      }),
  )

  it.effect("each prep-time digit restarts the 3 s window that ends the entry", () =>
    Effect.gen(function* () {
      const calls = yield* VoiceCalls
      const { link } = recordingLink()
      yield* newCall("VC_clock_2")
      yield* calls.attachStream("VC_clock_2", link)
      const press = (digit: string) =>
        calls.send("VC_clock_2", { _tag: "Flow", event: { _tag: "Digit", digit }, source: "stream" })
      yield* advance(1)
      yield* press("1")
      yield* advance(1)
      yield* press("4")
      yield* advance(2)
      yield* press("0")
      yield* advance(2)
      // 2 s after the last digit the entry is still open.
      expect(Option.map(yield* stepOf("VC_clock_2"), (s) => s.step)).toEqual(Option.some("prep_time"))
      yield* advance(10)
      const repo = yield* VoiceCallsRepo
      const done = yield* repo.find("VC_clock_2")
      expect(Option.map(done, (c) => [c.flow.status, c.flow.prepTimeMinutes])).toEqual(
        Option.some(["prep_time_set", 40]),
      )
    }),
  )

  it.effect(
    "a step that meets a newer state (another session committed first) is applied to that state, once",
    () =>
      Effect.gen(function* () {
        const calls = yield* VoiceCalls
        const repo = yield* VoiceCallsRepo
        const { link } = recordingLink()
        yield* newCall("VC_clock_3")
        yield* calls.attachStream("VC_clock_3", link)
        yield* advance(1)
        // Another process's session of this call (a callback it handled) commits first: the row moves on a
        // version, and this session's copy of it is stale.
        const row = Option.getOrThrow(yield* repo.find("VC_clock_3"))
        const elsewhere = { ...row.flow, dtmfDigits: `${row.flow.dtmfDigits}9` }
        expect(
          yield* repo.commit(
            "VC_clock_3",
            elsewhere,
            row.version,
            { event: "digit:9", source: "stream", detail: null, applied: true },
            [],
          ),
        ).toBe("fresh")
        yield* calls.send("VC_clock_3", {
          _tag: "Flow",
          event: { _tag: "Digit", digit: "1" },
          source: "stream",
        })
        yield* advance(1)
        const done = Option.getOrThrow(yield* repo.find("VC_clock_3"))
        // The vendor's 1 is applied on top of the other's step: accepted, with the other's key kept before it.
        expect([done.flow.status, done.flow.step, done.flow.dtmfDigits]).toEqual([
          "accepted",
          "prep_time",
          `${row.flow.dtmfDigits}91`,
        ])
        expect(done.version).toBe(row.version + 2)
        const log = (yield* repo.events("VC_clock_3")).map((e) => e.event)
        expect(log.filter((e) => e === "digit:1")).toHaveLength(1)
        expect(log.slice(-2)).toEqual(["digit:9", "digit:1"])
      }),
  )
})
