// Exotel posts its status callbacks form-encoded, multipart or as JSON (StatusCallbackContentType,
// exotel-protocol.md §2.2, §2.4, decision 6): every status endpoint reads each of them. The simulator here
// never calls back within a test, so the only status a call or message gets is the one the test posts.
import { HttpClientRequest } from "@effect/platform"
import { describe, expect, layer } from "@effect/vitest"
import { Context, Effect, Layer, Option, Schema } from "effect"
import { defaultSimulatorOptions, startExotelSimulator } from "../../src/sim/exotel/ExotelSimulator.js"
import type { SimLedger } from "../../src/sim/exotel/ledger.js"
import { simulatorAccount } from "../../src/upstream/exotel/ExotelClient.js"
import { clientWith, TestGatewayLive } from "../support/testGateway.js"
import { get, post } from "../support/upstream.js"

class Upstream extends Context.Tag("Upstream")<Upstream, { readonly ledger: SimLedger }>() {}

const gateway = Layer.unwrapScoped(
  Effect.gen(function* () {
    const sim = yield* startExotelSimulator(
      defaultSimulatorOptions(simulatorAccount, { callbackDelayMs: 600_000 }),
    )
    return Layer.merge(
      TestGatewayLive({
        exotelServiceUrl: Option.some(sim.url),
        defaultExoPhone: Option.some("08040000000"),
        dltEntityId: Option.some("1201159100000000001"),
      }),
      Layer.succeed(Upstream, { ledger: sim.ledger }),
    )
  }),
)

type Encoding = "form" | "multipart" | "json"
const encodings: ReadonlyArray<Encoding> = ["form", "multipart", "json"]

/** Form and multipart carry text only; JSON carries Exotel's numbers and nulls as numbers and nulls. */
const encoded = (encoding: Encoding, fields: Record<string, string | number | null>) => {
  const text = Object.fromEntries(
    Object.entries(fields).flatMap(([k, v]) => (v === null ? [] : [[k, String(v)] as const])),
  )
  switch (encoding) {
    case "form":
      return HttpClientRequest.bodyUrlParams(text)
    case "multipart": {
      const form = new FormData()
      for (const [k, v] of Object.entries(text)) form.append(k, v)
      return HttpClientRequest.bodyFormData(form)
    }
    case "json":
      return HttpClientRequest.bodyUnsafeJson(fields)
  }
}

const Answer = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/** Posts a callback to the gateway, with no credentials, as Exotel does. */
const callBack = (url: string, encoding: Encoding, fields: Record<string, string | number | null>) =>
  Effect.gen(function* () {
    const { pathname, search } = new URL(url)
    const client = yield* clientWith(undefined)
    const response = yield* client.execute(
      HttpClientRequest.post(`${pathname}${search}`).pipe(encoded(encoding, fields)),
    )
    const body = yield* Effect.flatMap(response.json, Schema.decodeUnknown(Answer))
    return { status: response.status, body }
  }).pipe(Effect.scoped, Effect.orDie)

/** The status-callback URL the gateway gave Exotel in the last request matching `match`. */
const callbackUrl = (match: (fields: Readonly<Record<string, unknown>>) => boolean, key: string) =>
  Effect.map(Upstream, ({ ledger }) => {
    const request = ledger
      .all()
      .filter((e) => e.status === 200 || e.status === 202)
      .findLast((e) => match(e.fields))
    return String(request?.fields[key])
  })

layer(gateway, { timeout: 60_000, excludeTestServices: true })("status callbacks in every encoding", (it) => {
  describe("call status (click-to-call)", () => {
    for (const [i, encoding] of encodings.entries()) {
      it.effect(`${encoding}: the call ends completed, with its duration`, () =>
        Effect.gen(function* () {
          const customer = `+91912370010${i}`
          const placed = yield* post("/click-to-call", {
            agentPhone: "+919876500001",
            customerPhone: customer,
          })
          expect(placed.status).toBe(200)
          const callSid = String(placed.body.callSid)
          const url = yield* callbackUrl((f) => f.To === customer, "StatusCallback")
          const answer = yield* callBack(url, encoding, {
            CallSid: callSid,
            Status: "completed",
            EventType: "terminal",
            RecordingUrl: null,
            DateUpdated: "2026-12-03 10:00:42",
            ConversationDuration: 42,
            CustomField: null,
          })
          expect(answer).toEqual({ status: 200, body: { received: true, changed: true } })
          const call = yield* get(`/calls/${callSid}`)
          expect(call.body).toMatchObject({ status: "completed", durationSeconds: 42 })
        }),
      )
    }
  })

  describe("SMS status", () => {
    for (const [i, encoding] of encodings.entries()) {
      it.effect(`${encoding}: the delivery report is recorded once`, () =>
        Effect.gen(function* () {
          const to = `+91912370020${i}`
          const sent = yield* post("/sms/send", {
            to,
            message: "Hello",
            dltTemplateId: "1207160000000000001",
          })
          expect(sent.status).toBe(200)
          const url = yield* callbackUrl((f) => f.To === to, "StatusCallback")
          const report = {
            SmsSid: String(sent.body.smsSid),
            To: to,
            Status: "sent",
            SmsUnits: 1,
            DetailedStatus: "DELIVERED_TO_HANDSET",
            DetailedStatusCode: 20005,
            DateSent: "2026-12-03 10:00:05",
            CustomField: null,
          }
          expect(yield* callBack(url, encoding, report)).toEqual({
            status: 200,
            body: { received: true, changed: true },
          })
          // The same report in another encoding is the same report.
          const other = encodings[(i + 1) % encodings.length] ?? "form"
          expect((yield* callBack(url, other, report)).body).toEqual({ received: true, changed: false })
        }),
      )
    }
  })

  describe("WhatsApp status", () => {
    for (const [i, encoding] of encodings.entries()) {
      it.effect(`${encoding}: a flat delivery report is recorded`, () =>
        Effect.gen(function* () {
          const to = `+91912370030${i}`
          const sent = yield* post("/whatsapp/send", { to, templateName: "order_update" })
          expect(sent.status).toBe(200)
          const url = yield* callbackUrl((f) => JSON.stringify(f).includes(to), "status_callback")
          const answer = yield* callBack(url, encoding, {
            sid: String(sent.body.sid),
            from: "08040000000",
            to,
            status: "delivered",
            exo_status_code: 30001,
            timestamp: "2026-12-03T10:00:05+05:30",
          })
          expect(answer).toEqual({ status: 200, body: { received: true, changed: true } })
        }),
      )
    }
  })

  describe("voice-flow call status (/nerve/exotel-status)", () => {
    for (const [i, encoding] of encodings.entries()) {
      it.effect(`${encoding}: the vendor's busy line ends the attempt`, () =>
        Effect.gen(function* () {
          const started = yield* post("/nerve/vendor/confirm", {
            orderId: 71_000 + i,
            vendorId: 67,
            vendorPhone: `+91980000710${i}`,
            vendorName: "Sharma Dhaba",
            orderAmount: 450,
            itemCount: 3,
          })
          expect(started.status).toBe(200)
          const answer = yield* callBack("http://gateway/api/exotel/nerve/exotel-status", encoding, {
            CallSid: String(started.body.callSid),
            Status: "busy",
            EventType: "terminal",
            CustomField: String(started.body.callId),
            RecordingUrl: null,
            ConversationDuration: 0,
          })
          expect(answer).toEqual({ status: 200, body: { received: true, applied: true } })
        }),
      )
    }
  })
})
