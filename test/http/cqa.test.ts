import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Effect, Option } from "effect"
import { TestGatewayLive } from "../support/testGateway.js"
import { eventually, get, post, simulator } from "../support/upstream.js"

const agent = "+919876500001"
const customerEndingIn = (suffix: string) => `+919123456${suffix}`

/** A recorded click-to-call to a number whose last digits choose the simulator's recording; its call sid. */
const recordedCall = (suffix: string) =>
  Effect.gen(function* () {
    const answer = yield* post("/click-to-call", {
      agentPhone: agent,
      customerPhone: customerEndingIn(suffix),
      recordCall: true,
    })
    expect(answer.status).toBe(200)
    const callSid = String(answer.body.callSid)
    yield* eventually(
      Effect.map(get(`/calls/${callSid}`), (r) => r.body.recordingUrl),
      (url) => typeof url === "string",
    )
    return callSid
  })

const analyse = (body: Record<string, unknown>) =>
  Effect.map(post("/cqa/analyze", body), (r) => {
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    return r.body
  })

// Figures are read from JSON, so each comes through a guard rather than a cast.
const field = (value: unknown, ...path: Array<string | number>): unknown =>
  path.reduce<unknown>((v, k) => (typeof v === "object" && v !== null ? Reflect.get(v, k) : undefined), value)
const num = (value: unknown, ...path: Array<string | number>) => Number(field(value, ...path))

// Frames are 20 ms: a talk edge found by the detector is exact on the simulator's grid, so seconds are compared
// to 1 ms; levels in dBFS to 0.05 dB.
const seconds = 3
const decibels = 1

layer(TestGatewayLive({ defaultExoPhone: Option.some("08040000000") }), {
  timeout: 120_000,
  excludeTestServices: true,
})("POST /cqa/analyze on the simulator's recordings", (it) => {
  it.effect("silence (…981): ten seconds, no talk, the whole call one silence, no level", () =>
    Effect.gen(function* () {
      const body = yield* analyse({ callSid: yield* recordedCall("981"), analysisType: "full" })
      expect(body.acoustics).toMatchObject({
        durationSeconds: 10,
        sampleRate: 8000,
        channelCount: 1,
        talkSeconds: 0,
        silenceSeconds: 10,
        longestSilenceSeconds: 10,
        rmsDbfs: null,
        peakDbfs: null,
        clippingRatio: 0,
        overlapSeconds: null,
        interruptions: null,
        talkSegments: [],
      })
      expect(body.transcript).toEqual({ source: "none", segmentCount: 0 })
      expect(body.sentiment).toBeNull()
      expect(body.compliance).toBeNull()
      expect(body.notes).toEqual(["no transcript, so no sentiment, keyword or compliance analysis"])
    }),
  )

  it.effect("a 440 Hz tone at half scale (…982): all talk, peak -6.02 dBFS, RMS 3.01 dB below it", () =>
    Effect.gen(function* () {
      const body = yield* analyse({ callSid: yield* recordedCall("982"), analysisType: "sentiment" })
      expect(num(body, "acoustics", "talkSeconds")).toBeCloseTo(10, seconds)
      expect(num(body, "acoustics", "silenceSeconds")).toBeCloseTo(0, seconds)
      expect(num(body, "acoustics", "longestSilenceSeconds")).toBeCloseTo(0, seconds)
      expect(num(body, "acoustics", "peakDbfs")).toBeCloseTo(20 * Math.log10(0.5), decibels)
      expect(num(body, "acoustics", "rmsDbfs")).toBeCloseTo(20 * Math.log10(0.5 / Math.SQRT2), decibels)
      expect(num(body, "acoustics", "clippingRatio")).toBe(0)
    }),
  )

  it.effect("talk 1–3 s and 4.5–7.5 s (…983): 5 s talk, 5 s silence, the longest 2.5 s at the end", () =>
    Effect.gen(function* () {
      const body = yield* analyse({ callSid: yield* recordedCall("983"), analysisType: "keywords" })
      expect(num(body, "acoustics", "talkSeconds")).toBeCloseTo(5, seconds)
      expect(num(body, "acoustics", "silenceSeconds")).toBeCloseTo(5, seconds)
      expect(num(body, "acoustics", "longestSilenceSeconds")).toBeCloseTo(2.5, seconds)
      expect(field(body, "acoustics", "talkSegments")).toEqual([
        { startSeconds: 1, endSeconds: 3 },
        { startSeconds: 4.5, endSeconds: 7.5 },
      ])
      expect(body.notes).toEqual([
        "the request carried no transcript and no speech recognition engine is configured (ASR_URL)",
        "no transcript, so no keywords analysis: only the acoustic measures",
      ])
    }),
  )

  it.effect("a stereo dialogue (…984): 0.5 s of overlap, the agent interrupts once, 8 s of talk", () =>
    Effect.gen(function* () {
      const body = yield* analyse({ callSid: yield* recordedCall("984"), analysisType: "full" })
      expect(num(body, "acoustics", "channelCount")).toBe(2)
      expect(num(body, "acoustics", "overlapSeconds")).toBeCloseTo(0.5, seconds)
      expect(num(body, "acoustics", "interruptions")).toBe(1)
      expect(num(body, "acoustics", "talkSeconds")).toBeCloseTo(8, seconds)
      expect(num(body, "acoustics", "longestSilenceSeconds")).toBeCloseTo(0.5, seconds)
      expect(num(body, "acoustics", "perChannel", 0, "talkSeconds")).toBeCloseTo(4.5, seconds)
      expect(num(body, "acoustics", "perChannel", 1, "talkSeconds")).toBeCloseTo(4, seconds)
      expect(field(body, "acoustics", "perChannel", 0, "interruptions")).toBe(0)
      expect(field(body, "acoustics", "perChannel", 1, "interruptions")).toBe(1)
    }),
  )

  it.effect(
    "a transcript without the recording notice fails compliance and names the phrase, with offsets",
    () =>
      Effect.gen(function* () {
        const body = yield* analyse({
          callSid: yield* recordedCall("983"),
          analysisType: "full",
          transcript: [
            {
              startSeconds: 1,
              endSeconds: 3,
              speaker: "agent",
              text: "Namaste, QuickBite se Ravi bol raha hoon",
            },
            {
              startSeconds: 4.5,
              endSeconds: 7.5,
              speaker: "customer",
              text: "Order late hai, mujhe refund chahiye",
            },
          ],
        })
        expect(body.transcript).toEqual({ source: "request", segmentCount: 2 })
        expect(body.compliance).toMatchObject({ passed: false, missing: ["recording_notice"] })
        expect(String(field(body, "compliance", "violations", 0))).toMatch(/"recording_notice" was not said/)
        expect(field(body, "compliance", "required", 0)).toMatchObject({
          name: "greeting",
          said: true,
          firstHit: { phrase: "namaste", segment: 0, speaker: "agent", startSeconds: 1, endSeconds: 3 },
        })
        expect(field(body, "keywords", "hits")).toMatchObject([
          { keyword: "refund", count: 1, hits: [{ segment: 1, startSeconds: 4.5, endSeconds: 7.5 }] },
          { keyword: "late", count: 1 },
        ])
      }),
  )

  it.effect("sentiment: English and Hindi, positive and negative", () =>
    Effect.gen(function* () {
      const callSid = yield* recordedCall("983")
      const labelOf = (text: string) =>
        Effect.map(
          analyse({
            callSid,
            analysisType: "sentiment",
            transcript: [{ startSeconds: 0, endSeconds: 5, text }],
          }),
          (body) => field(body, "sentiment", "label"),
        )
      expect(yield* labelOf("Thank you, the delivery was quick and the food was excellent")).toBe("positive")
      expect(yield* labelOf("This is the worst service, the food was awful")).toBe("negative")
      expect(yield* labelOf("खाना बहुत अच्छा था, धन्यवाद")).toBe("positive")
      expect(yield* labelOf("खाना ठंडा और बेकार था, बहुत देर हुई")).toBe("negative")
    }),
  )

  it.effect("configured rules apply at once: a purpose's own required line, from system_settings", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* sql`INSERT INTO system_settings (key, value) VALUES ('exotel-cqa-required-phrases',
        ${JSON.stringify({ default: {}, delivery_update: { eta: ["minutes"] } })})`
      const body = yield* analyse({
        callSid: yield* recordedCall("983"),
        analysisType: "compliance",
        purpose: "delivery_update",
        transcript: [{ startSeconds: 0, endSeconds: 2, text: "Your rider is on the way" }],
      })
      expect(body.compliance).toMatchObject({ purpose: "delivery_update", passed: false, missing: ["eta"] })
      yield* sql`DELETE FROM system_settings WHERE key = 'exotel-cqa-required-phrases'`
    }),
  )

  it.effect("bad input is a 400 naming the field", () =>
    Effect.gen(function* () {
      const cases: ReadonlyArray<readonly [Record<string, unknown>, string]> = [
        [{ analysisType: "full" }, "callSid"],
        [{ callSid: "a b", analysisType: "full" }, "callSid"],
        [{ callSid: "CA1", analysisType: "mood" }, "analysisType"],
        [{ callSid: "CA1", analysisType: "full", purpose: "Bad Purpose" }, "purpose"],
        [
          {
            callSid: "CA1",
            analysisType: "full",
            transcript: [{ startSeconds: 5, endSeconds: 2, text: "x" }],
          },
          "transcript.0.endSeconds",
        ],
        [
          {
            callSid: "CA1",
            analysisType: "full",
            transcript: [{ startSeconds: -1, endSeconds: 2, text: "x" }],
          },
          "transcript.0.startSeconds",
        ],
      ]
      for (const [body, name] of cases) {
        const answer = yield* post("/cqa/analyze", body)
        expect(answer.status, JSON.stringify(body)).toBe(400)
        expect(answer.body.field, JSON.stringify(answer.body)).toBe(name)
      }
      const period = yield* get("/cqa/stats?period=1y")
      expect(period.status).toBe(400)
      expect(period.body.field).toBe("period")
    }),
  )

  it.effect("an unknown call is a 404; a call without a recording a 422 naming callSid", () =>
    Effect.gen(function* () {
      const unknown = yield* post("/cqa/analyze", { callSid: "CA_nope", analysisType: "full" })
      expect(unknown.status).toBe(404)
      expect(unknown.body._tag).toBe("NotFound")
      const answer = yield* post("/click-to-call", {
        agentPhone: agent,
        customerPhone: customerEndingIn("983"),
      })
      const callSid = String(answer.body.callSid)
      yield* eventually(
        Effect.map(get(`/calls/${callSid}`), (r) => r.body.status),
        (s) => s === "completed",
      )
      const unrecorded = yield* post("/cqa/analyze", { callSid, analysisType: "full" })
      expect(unrecorded.status).toBe(422)
      expect(unrecorded.body).toMatchObject({ _tag: "Unprocessable", field: "callSid" })
    }),
  )

  it.effect("the simulator's recordings need the account's credentials, like every Exotel resource", () =>
    Effect.gen(function* () {
      const sim = yield* simulator
      const response = yield* Effect.promise(() => fetch(`${sim.url}/recordings/tone.wav`))
      expect(response.status).toBe(401)
    }),
  )
})
