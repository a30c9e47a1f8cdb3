// A scheduled call's stream, end to end over real sockets: the simulator places the call, its callee dials the
// gateway's voice stream, the gateway speaks the purpose's script and hangs up; a feedback request records the
// rating pressed, and GET /calls/:id shows what the call came to. A call in Hindi says the Hindi script: the
// suite's voice is the tones engine, whose audio is a pure function of the words, so the words are read back from it.
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option, Queue } from "effect"
import { callMessageFor } from "../../src/actors/scriptedCallFlow.js"
import { SimStreamDialer, type StreamedCall } from "../../src/sim/exotel/ExotelSimulator.js"
import { type CallRecording, playCall } from "../../src/sim/streamCaller/StreamCaller.js"
import { toneSpeech } from "../../src/stream/speech/TextToSpeech.js"
import { allowAll, eventually, get, ledger, post, put } from "../support/upstream.js"
import { VoiceTestGateway } from "../support/voiceGateway.js"

/** Who picks up: the keys each callee (by phone number) presses, and what each call heard. */
const keypads: Record<string, ReadonlyArray<{ readonly atMs: number; readonly digit: string }>> = {
  "+919123400101": [{ atMs: 500, digit: "1" }],
  "+919123400102": [{ atMs: 800, digit: "4" }],
  "+919123400104": [],
  "+919123400103": [
    { atMs: 500, digit: "9" },
    { atMs: 1200, digit: "3" },
  ],
}
/** Callees who hang up this many milliseconds into the call. */
const hangsUp: Record<string, number> = { "+919123400105": 800 }
const heard = Effect.runSync(Queue.unbounded<{ readonly from: string; readonly call: CallRecording }>())

const callee = Layer.succeed(SimStreamDialer, {
  dial: (call: StreamedCall) =>
    Effect.promise(() =>
      playCall({
        url: call.streamUrl,
        callSid: call.callSid,
        from: call.from,
        to: call.callerId,
        digits: keypads[call.from] ?? [],
        ...(hangsUp[call.from] === undefined ? {} : { hangupAtMs: hangsUp[call.from] }),
        maxMs: 60_000,
        keepAudio: true,
      }),
    ).pipe(Effect.flatMap((recording) => Queue.offer(heard, { from: call.from, call: recording }))),
})

const gateway = VoiceTestGateway(() => ({ defaultExoPhone: Option.some("08040000000") })).pipe(
  Layer.provide(callee),
)

const schedule = (phone: string, purpose: string, context: Record<string, unknown>, language?: "hi" | "en") =>
  Effect.map(
    post("/scheduled-calls", { phone, purpose, context, ...(language ? { language } : {}) }),
    (r) => {
      expect(r.status).toBe(201)
      expect(r.body.language).toBe(language ?? "en")
      return String(r.body.id)
    },
  )

const heardBy = (phone: string) =>
  Effect.flatMap(Queue.take(heard), (h) =>
    h.from === phone
      ? Effect.succeed(h.call)
      : Effect.dieMessage(`expected ${phone}'s call, got ${h.from}'s`),
  )

const scriptOf = (callId: string) =>
  eventually(get(`/calls/${callId}`), (r) => r.body.script !== undefined, "10 seconds").pipe(
    Effect.map((r) => r.body.script),
  )

/** Whether the call's audio is these words as the tones engine says them (its last chunk padded with silence). */
const said = (call: CallRecording, text: string) => {
  const expected = toneSpeech(text, 8000)
  return (
    call.audio.length >= expected.length &&
    Buffer.from(call.audio.subarray(0, expected.length)).equals(expected)
  )
}

layer(gateway, { timeout: 90_000, excludeTestServices: true })("scheduled calls say their script", (it) => {
  it.effect("a payment reminder is spoken whole, the gateway hangs up, and a stray key changes nothing", () =>
    Effect.gen(function* () {
      expect((yield* put("/config/timing", allowAll)).status).toBe(200)
      const phone = "+919123400101"
      const id = yield* schedule(phone, "payment_reminder", {
        amount: 450,
        orderId: "A-17",
        dueDate: "5 December",
      })
      const call = yield* heardBy(phone)
      expect(call.closedBy).toBe("gateway")
      // A couple of seconds of speech at 8 kHz: thousands of bytes, in 320-byte multiples.
      expect(call.mediaBytes).toBeGreaterThan(16_000)
      expect(call.mediaBytes % 320).toBe(0)
      expect(yield* scriptOf(`${id}-a1`)).toEqual({
        purpose: "payment_reminder",
        endedBy: "gateway",
        rating: null,
        keys: "1",
      })
    }),
  )

  it.effect("a callee who hangs up mid-message is recorded as having ended the call", () =>
    Effect.gen(function* () {
      const phone = "+919123400105"
      const id = yield* schedule(phone, "payment_reminder", {
        amount: 120,
        orderId: "A-20",
        dueDate: "today",
      })
      const call = yield* heardBy(phone)
      expect(call.closedBy).toBe("caller")
      expect(yield* scriptOf(`${id}-a1`)).toMatchObject({ endedBy: "callee", rating: null })
    }),
  )

  it.effect("a feedback request records the rating pressed", () =>
    Effect.gen(function* () {
      const phone = "+919123400102"
      const id = yield* schedule(phone, "feedback_request", { orderId: "A-18" })
      const call = yield* heardBy(phone)
      expect(call.closedBy).toBe("gateway")
      expect(yield* scriptOf(`${id}-a1`)).toEqual({
        purpose: "feedback_request",
        endedBy: "gateway",
        rating: 4,
        keys: "4",
      })
    }),
  )

  it.effect("a wrong key is asked again, and the next key from 1 to 5 is the rating", () =>
    Effect.gen(function* () {
      const phone = "+919123400103"
      const id = yield* schedule(phone, "feedback_request", { orderId: "A-19" })
      const call = yield* heardBy(phone)
      // The message was cut short by the first key (barge-in) and the re-prompt by the second.
      expect(call.clears).toBeGreaterThanOrEqual(1)
      expect(yield* scriptOf(`${id}-a1`)).toMatchObject({ rating: 3, keys: "93", endedBy: "gateway" })
    }),
  )

  it.effect(
    "an agentless campaign connects each contact straight to the stream, which says its rendered message",
    () =>
      Effect.gen(function* () {
        const phone = "+919123400104"
        const created = yield* post("/campaigns", {
          name: "Diwali reminder",
          type: "outbound",
          purpose: "promotional_offer",
          dialerType: "agentless",
          template: "Namaste {{name}}, your Diwali code is {{code}}.",
          contacts: [{ phone, name: "Asha", metadata: { code: "DIWALI50" } }],
          pacing: { concurrencyCap: 1 },
        })
        expect(created.status).toBe(201)
        const call = yield* heardBy(phone)
        expect(call.closedBy).toBe("gateway")
        expect(call.mediaBytes).toBeGreaterThan(16_000)
        const connect = (yield* ledger).accepted("call").find((e) => e.fields.From === phone)
        expect(connect?.fields).toMatchObject({
          StreamType: "bidirectional",
          CustomField: `campaign:${created.body.id}`,
        })
        expect(connect?.fields.To).toBeUndefined()
        const callId = new URL(String(connect?.fields.StreamUrl)).searchParams.get("callId")
        expect(yield* scriptOf(String(callId))).toEqual({
          purpose: "promotional_offer",
          endedBy: "gateway",
          rating: null,
          keys: "",
        })
      }),
  )

  it.effect(
    "a scheduled call in Hindi keeps its language and says the Hindi script, amounts and ids in Hindi",
    () =>
      Effect.gen(function* () {
        const phone = "+919123400106"
        const context = { amount: 450, orderId: "ORDER-407", dueDate: "2024-01-21" }
        const id = yield* schedule(phone, "payment_reminder", context, "hi")
        expect((yield* get(`/scheduled-calls/${id}`)).body).toMatchObject({ id, language: "hi" })
        const call = yield* heardBy(phone)
        expect(call.closedBy).toBe("gateway")
        const hindi = callMessageFor(
          "payment_reminder",
          "hi",
          { amount: "450", orderId: "ORDER-407", dueDate: "2024-01-21" },
          null,
        )
        expect(hindi.message).toContain("ऑर्डर नंबर चार शून्य सात के चार सौ पचास रुपये का भुगतान इक्कीस जनवरी तक")
        expect(said(call, `${hindi.message} ${hindi.closing}`)).toBe(true)
        const english = callMessageFor(
          "payment_reminder",
          "en",
          { amount: "450", orderId: "ORDER-407" },
          null,
        )
        expect(said(call, `${english.message} ${english.closing}`)).toBe(false)
        expect(yield* scriptOf(`${id}-a1`)).toMatchObject({ purpose: "payment_reminder", endedBy: "gateway" })
      }),
  )

  it.effect("a campaign in Hindi keeps its language and says the Hindi script to each contact", () =>
    Effect.gen(function* () {
      const phone = "+919123400107"
      const created = yield* post("/campaigns", {
        name: "Cart reminder",
        purpose: "abandoned_cart",
        language: "hi",
        dialerType: "agentless",
        contacts: [{ phone, name: "Asha", metadata: { itemCount: 3, total: 450, offer: "मुफ़्त डिलीवरी" } }],
        pacing: { concurrencyCap: 1 },
      })
      expect(created.status).toBe(201)
      expect(created.body.language).toBe("hi")
      expect((yield* get(`/campaigns/${created.body.id}`)).body).toMatchObject({ language: "hi" })
      const call = yield* heardBy(phone)
      expect(call.closedBy).toBe("gateway")
      const hindi = callMessageFor(
        "abandoned_cart",
        "hi",
        { itemCount: "3", total: "450", offer: "मुफ़्त डिलीवरी", name: "Asha" },
        null,
      )
      expect(hindi.message).toContain("आपके कार्ट में चार सौ पचास रुपये के तीन आइटम रह गए हैं।")
      expect(said(call, `${hindi.message} ${hindi.closing}`)).toBe(true)
    }),
  )

  it.effect("a language the gateway does not speak is refused, naming the field", () =>
    Effect.gen(function* () {
      const scheduled = yield* post("/scheduled-calls", {
        phone: "+919123400108",
        purpose: "custom",
        language: "ta",
      })
      expect(scheduled).toMatchObject({ status: 400, body: { field: "language" } })
      const campaign = yield* post("/campaigns", {
        name: "Tamil",
        purpose: "custom",
        language: "hi-IN",
        dialerType: "agentless",
        contacts: [{ phone: "+919123400108" }],
      })
      expect(campaign).toMatchObject({ status: 400, body: { field: "language" } })
    }),
  )
})
