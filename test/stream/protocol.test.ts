import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import fc from "fast-check"
import { frameOutbound, minChunkBytes } from "../../src/stream/audio.js"
import {
  encodeOutbound,
  Inbound,
  outboundMedia,
  readDtmf,
  readInbound,
  sampleRateOf,
  streamSidOf,
} from "../../src/stream/protocol.js"

describe("inbound stream messages", () => {
  it("reads the documented start with string numbers, and the stream id from either place", () => {
    const start = readInbound(
      JSON.stringify({
        event: "start",
        sequence_number: "1",
        start: {
          stream_sid: "MZ1",
          call_sid: "CA1",
          account_sid: "AC1",
          from: "+919876543210",
          to: "+918047491899",
          custom_parameters: { callId: "VC_1", n: 3 },
          media_format: { encoding: "audio/x-raw", sample_rate: "16000", bit_rate: "16" },
        },
        extra: true,
      }),
    )
    expect(start).toMatchObject({ _tag: "Message", ignored: [] })
    if (start._tag === "Message" && start.message.event === "start") {
      expect(streamSidOf(start.message)).toBe("MZ1")
      expect(sampleRateOf(start.message)).toBe(16000)
      expect(start.message.start.custom_parameters).toEqual({ callId: "VC_1", n: "3" })
    }
  })

  it("a start with odd optional fields is still a start: each odd field is left out and named", () => {
    const reading = readInbound(
      JSON.stringify({
        event: "start",
        sequence_number: "first",
        stream_sid: 42,
        start: {
          stream_sid: "MZ2",
          call_sid: "CA2",
          from: ["+919876543210"],
          custom_parameters: { flow: "line_test", nested: { deep: true } },
          media_format: { encoding: "audio/x-mulaw", sample_rate: "16000", bit_rate: "128kbps" },
        },
      }),
    )
    expect(reading._tag).toBe("Message")
    if (reading._tag !== "Message" || reading.message.event !== "start") return
    expect([...reading.ignored].sort()).toEqual([
      "sequence_number",
      "start.custom_parameters.nested",
      "start.from",
      "start.media_format.bit_rate",
      "start.media_format.encoding",
      "stream_sid",
    ])
    expect(reading.message.start).toEqual({
      stream_sid: "MZ2",
      call_sid: "CA2",
      custom_parameters: { flow: "line_test" },
      media_format: { sample_rate: 16000 },
    })
    expect(sampleRateOf(reading.message)).toBe(16000)
  })

  it("a start without what a session needs is malformed, and says it was a start", () => {
    for (const start of [{}, { call_sid: 7 }, "CA1", null]) {
      const reading = readInbound(JSON.stringify({ event: "start", start }))
      expect(reading).toMatchObject({ _tag: "Malformed", event: "start" })
    }
    expect(readInbound('{"event":"start"}')).toMatchObject({ _tag: "Malformed", event: "start" })
  })

  it("any start with a call_sid and a start object is usable, whatever else it carries", () => {
    // Names an object inherits were once looked up as checks of their own (found by the stream fuzz).
    const key = fc.oneof(fc.string(), fc.constantFrom("valueOf", "toString", "__proto__", "constructor"))
    fc.assert(
      fc.property(
        fc.string(),
        fc.dictionary(key, fc.jsonValue()),
        fc.dictionary(key, fc.jsonValue()),
        (callSid, top, start) => {
          const wire = JSON.stringify({
            ...top,
            event: "start",
            start: { ...start, call_sid: callSid, custom_parameters: start, media_format: top },
          })
          const reading = readInbound(wire)
          expect(reading._tag).toBe("Message")
          if (reading._tag === "Message" && reading.message.event === "start")
            expect(reading.message.start.call_sid).toBe(callSid)
        },
      ),
      { numRuns: 500 },
    )
  })

  it("accepts numbers where the docs show strings", () => {
    const dtmf = readInbound(
      '{"event":"dtmf","sequence_number":7,"stream_sid":"MZ","dtmf":{"digit":"5","duration":100}}',
    )
    expect(dtmf).toMatchObject({ _tag: "Message", message: { dtmf: { digit: "5", duration: 100 } } })
  })

  it("the hand-read keypad frame gives what the Schema gives, and declines what it cannot read exactly", () => {
    const numeric = fc.oneof(
      fc.constant(undefined),
      fc.integer(),
      fc.double(),
      fc.integer().map(String),
      fc.double({ noNaN: true }).map(String),
      fc.string(),
    )
    const frame = fc.record(
      {
        event: fc.constantFrom("dtmf", "media", "mark", 7),
        sequence_number: numeric,
        stream_sid: fc.oneof(fc.string(), fc.integer()),
        dtmf: fc.oneof(
          fc.record(
            { digit: fc.oneof(fc.constantFrom("5", "#", "*", ""), fc.integer()), duration: numeric },
            { requiredKeys: [] },
          ),
          fc.constant(null),
          fc.string(),
        ),
        extra: fc.anything(),
      },
      { requiredKeys: ["event"] },
    )
    const bySchema = Schema.decodeUnknownEither(Inbound)
    fc.assert(
      fc.property(frame, (value) => {
        const wire: unknown = JSON.parse(JSON.stringify(value))
        const byHand = readDtmf(wire)
        if (byHand !== undefined) expect(Either.getOrThrow(bySchema(wire))).toEqual(byHand)
      }),
      { numRuns: 2000 },
    )
    expect(
      readDtmf({
        event: "dtmf",
        sequence_number: "4",
        stream_sid: "MZ",
        dtmf: { digit: "#", duration: "100" },
      }),
    ).toEqual({ event: "dtmf", sequence_number: 4, stream_sid: "MZ", dtmf: { digit: "#", duration: 100 } })
    expect(readDtmf({ event: "dtmf", dtmf: { digit: "1", duration: "soon" } })).toBeUndefined()
  })

  it("names what is wrong with a malformed message instead of throwing", () => {
    expect(readInbound("{not json")).toMatchObject({ _tag: "Malformed", event: undefined })
    expect(readInbound('{"event":"media","media":{}}')).toMatchObject({ _tag: "Malformed", event: "media" })
    expect(readInbound('{"event":"dance"}')).toMatchObject({ _tag: "Malformed", event: "dance" })
    // Found by the stream fuzz: Effect's union would throw on String() of such an event.
    for (const event of ['{"toString":1,"valueOf":1}', '{"toString":{}}', "[]", "null", "7"])
      expect(readInbound(`{"event":${event},"dtmf":{"digit":"1"}}`)).toMatchObject({ _tag: "Malformed" })
  })
})

describe("outbound framing", () => {
  it("sends exactly the documented media shape", () => {
    expect(encodeOutbound(outboundMedia("MZ9", "AAAA"))).toBe(
      '{"event":"media","stream_sid":"MZ9","media":{"payload":"AAAA"}}',
    )
  })

  it("every chunk is a multiple of 320 bytes of at least 3,200, and no audio is lost", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        (length, size) => {
          const pcm = new Uint8Array(length).fill(7)
          const chunks = frameOutbound(pcm, size)
          for (const chunk of chunks) {
            expect(chunk.length % 320).toBe(0)
            expect(chunk.length).toBeGreaterThanOrEqual(minChunkBytes)
            expect(chunk.length).toBeLessThanOrEqual(100_000)
          }
          const total = chunks.reduce((n, c) => n + c.length, 0)
          expect(total).toBeGreaterThanOrEqual(length)
          expect(chunks.flatMap((c) => [...c]).filter((b) => b === 7).length).toBe(length)
        },
      ),
      { numRuns: 300 },
    )
  })
})
