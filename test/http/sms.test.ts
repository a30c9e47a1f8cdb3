import { HttpClientRequest } from "@effect/platform"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option } from "effect"
import { clientWith, TestGatewayLive } from "../support/testGateway.js"
import { allowAll, dndNow, eventually, ledger, post, put } from "../support/upstream.js"

const gateway = TestGatewayLive({
  defaultExoPhone: Option.some("08040000000"),
  dltEntityId: Option.some("1201159100000000001"),
})

const dlt = { dltTemplateId: "1207160000000000001" }
const smsTo = (to: string) =>
  Effect.map(ledger, (l) => l.all().filter((e) => e.kind === "sms" && e.fields.To === to))
const callbacksFor = (sid: string) =>
  Effect.map(ledger, (l) => l.all().filter((e) => e.kind === "callback" && e.fields.SmsSid === sid))

layer(gateway, { timeout: 60_000, excludeTestServices: true })("SMS", (it) => {
  describe("POST /sms/send", () => {
    it.effect("sends a GSM-7 SMS with the DLT ids and records the delivery callback", () =>
      Effect.gen(function* () {
        const answer = yield* post("/sms/send", {
          to: "9123456789",
          message: "Your order ORDER-12345 has been confirmed.",
          templateId: "TEMPLATE_123",
          ...dlt,
          customField: "ORDER-12345",
        })
        expect(answer.status).toBe(200)
        expect(answer.body).toMatchObject({ status: "queued", encoding: "GSM-7", segments: 1 })
        const [request] = yield* smsTo("+919123456789")
        expect(request?.fields).toMatchObject({
          To: "+919123456789",
          Body: "Your order ORDER-12345 has been confirmed.",
          EncodingType: "plain",
          SmsType: "transactional",
          DltEntityId: "1201159100000000001",
          DltTemplateId: "1207160000000000001",
          CustomField: "ORDER-12345",
        })
        const sid = String(answer.body.smsSid)
        const [callback] = yield* eventually(callbacksFor(sid), (c) => c.length > 0)
        expect(callback?.status).toBe(200)
        expect(callback?.fields).toMatchObject({ Status: "sent", DetailedStatus: "DELIVERED_TO_HANDSET" })
      }),
    )

    it.effect("counts UCS-2 segments for Hindi text and asks Exotel for unicode", () =>
      Effect.gen(function* () {
        const message = "आपका ऑर्डर ".repeat(8)
        const answer = yield* post("/sms/send", { to: "+919123400011", message, ...dlt })
        expect(answer.body).toMatchObject({ encoding: "UCS-2", segments: 2 })
        const [request] = yield* smsTo("+919123400011")
        expect(request?.fields.EncodingType).toBe("unicode")
      }),
    )

    for (const [suffix, status] of [
      ["993", "failed"],
      ["991", "failed_dnd"],
    ] as const) {
      it.effect(`records a ${status} delivery report (…${suffix})`, () =>
        Effect.gen(function* () {
          const answer = yield* post("/sms/send", { to: `+919123456${suffix}`, message: "Hello", ...dlt })
          expect(answer.status).toBe(200)
          const [callback] = yield* eventually(callbacksFor(String(answer.body.smsSid)), (c) => c.length > 0)
          expect(callback).toMatchObject({ status: 200, fields: { Status: status } })
        }),
      )
    }

    it.effect("passes on an NDNC refusal as 422 (…998)", () =>
      Effect.gen(function* () {
        const answer = yield* post("/sms/send", { to: "+919123456998", message: "Hello", ...dlt })
        expect(answer).toMatchObject({ status: 422, body: { _tag: "UpstreamRejected", upstreamStatus: 403 } })
      }),
    )

    it.effect("refuses an SMS without a DLT template id, naming the field, and sends nothing", () =>
      Effect.gen(function* () {
        const answer = yield* post("/sms/send", { to: "+919123400012", message: "Hello" })
        expect(answer).toMatchObject({ status: 400, body: { _tag: "BadRequest", field: "dltTemplateId" } })
        expect((yield* smsTo("+919123400012")).length).toBe(0)
      }),
    )

    it.effect(
      "refuses a promotional SMS in the DND window with 422 and nextAvailableTime; none reaches Exotel",
      () =>
        Effect.gen(function* () {
          expect((yield* put("/config/timing", dndNow)).status).toBe(200)
          const answer = yield* post("/sms/send", {
            to: "+919123400013",
            message: "20% off today",
            smsType: "promotional",
            ...dlt,
          })
          expect(answer.status).toBe(422)
          expect(answer.body).toMatchObject({ _tag: "Unprocessable", field: "smsType" })
          const next = Date.parse(String(answer.body.nextAvailableTime))
          expect(next).toBeGreaterThan(Date.now() + 55 * 60_000)
          expect(next).toBeLessThan(Date.now() + 65 * 60_000)
          const bulk = yield* post("/sms/bulk", {
            recipients: ["+919123400014"],
            message: "20% off today",
            smsType: "promotional",
            ...dlt,
          })
          expect(bulk.status).toBe(422)
          // A transactional SMS is not held by DND.
          const otp = yield* post("/sms/send", { to: "+919123400015", message: "OTP 1234", ...dlt })
          expect(otp.status).toBe(200)
          const promotional = (yield* ledger)
            .all()
            .filter((e) => (e.kind === "sms" || e.kind === "bulk_sms") && e.fields.SmsType === "promotional")
          expect(promotional).toEqual([])
          expect((yield* put("/config/timing", allowAll)).status).toBe(200)
          const later = yield* post("/sms/send", {
            to: "+919123400013",
            message: "20% off today",
            smsType: "promotional",
            ...dlt,
          })
          expect(later.status).toBe(200)
        }),
    )

    it.effect("sends one SMS for two requests with the same Idempotency-Key", () =>
      Effect.gen(function* () {
        const headers = { "idempotency-key": "sms-key-1" }
        const body = { to: "+919123400016", message: "Hello", ...dlt }
        const first = yield* post("/sms/send", body, headers)
        const second = yield* post("/sms/send", body, headers)
        expect(first.status).toBe(200)
        expect(second).toEqual(first)
        expect((yield* smsTo("+919123400016")).length).toBe(1)
      }),
    )

    describe("bad input names the field", () => {
      const valid = { to: "+919123456789", message: "Hello", ...dlt }
      for (const [field, value] of [
        ["to", "123"],
        ["message", ""],
        ["smsType", "marketing"],
        ["priority", "urgent"],
        ["dltTemplateId", "has spaces"],
        ["dltEntityId", "x".repeat(41)],
        ["statusCallback", "not a url"],
        ["from", "TOO-LONG-SENDER-ID"],
      ] as const) {
        it.effect(`${field}`, () =>
          Effect.gen(function* () {
            const answer = yield* post("/sms/send", { ...valid, [field]: value })
            expect(answer).toMatchObject({ status: 400, body: { _tag: "BadRequest", field } })
          }),
        )
      }
    })
  })

  describe("POST /sms/bulk", () => {
    it.effect("answers per recipient and the seed's totals; refused recipients fail alone", () =>
      Effect.gen(function* () {
        const recipients = ["+919123400021", "9123400022", "+919123456998"]
        const answer = yield* post("/sms/bulk", {
          from: "MANGWALE",
          recipients,
          message: "Special offer!",
          ...dlt,
        })
        expect(answer.status).toBe(200)
        expect(answer.body).toMatchObject({
          total: 3,
          success: 2,
          failed: 1,
          encoding: "GSM-7",
          segments: 1,
          results: [
            { to: "+919123400021", status: "queued", error: null },
            { to: "+919123400022", status: "queued", error: null },
            { to: "+919123456998", smsSid: null, status: "failed", error: expect.stringMatching(/NDNC/) },
          ],
        })
        const bulk = (yield* ledger).all().filter((e) => e.kind === "bulk_sms")
        // The documented form shape (exotel-protocol.md §2.5): an outer From, one Messages[i] per recipient.
        const fields = bulk.at(-1)?.fields ?? {}
        expect(fields).toMatchObject({
          From: "MANGWALE",
          "Messages[0][To]": "+919123400021",
          "Messages[1][To]": "+919123400022",
          "Messages[2][To]": "+919123456998",
          "Messages[2][Body]": "Special offer!",
          "Messages[2][DltEntityId]": "1201159100000000001",
          "Messages[2][DltTemplateId]": "1207160000000000001",
        })
        expect(fields.To).toBeUndefined()
      }),
    )

    it.effect("records the delivery report of every recipient of a bulk under its one callback token", () =>
      Effect.gen(function* () {
        const recipients = ["+919123400041", "+919123456993", "+919123400043"]
        const answer = yield* post("/sms/bulk", { recipients, message: "Your order is ready", ...dlt })
        expect(answer.body).toMatchObject({ total: 3, success: 3, failed: 0 })
        const sids = (Array.isArray(answer.body.results) ? answer.body.results : []).map((r: unknown) =>
          typeof r === "object" && r !== null ? String(Reflect.get(r, "smsSid")) : "",
        )
        const callbacks = yield* eventually(
          Effect.map(ledger, (l) =>
            l.all().filter((e) => e.kind === "callback" && sids.includes(String(e.fields.SmsSid))),
          ),
          (c) => c.length === 3,
        )
        expect(callbacks.map((c) => c.status)).toEqual([200, 200, 200])
        expect(new Set(callbacks.map((c) => new URL(c.path).searchParams.get("token"))).size).toBe(1)
        expect(callbacks.map((c) => [c.fields.To, c.fields.Status]).sort()).toEqual([
          ["+919123400041", "sent"],
          ["+919123400043", "sent"],
          ["+919123456993", "failed"],
        ])
      }),
    )

    it.effect("refuses more than 100 recipients", () =>
      Effect.gen(function* () {
        const recipients = Array.from(
          { length: 101 },
          (_, i) => `+9191234${String(10000 + i).padStart(5, "0")}`,
        )
        const answer = yield* post("/sms/bulk", { recipients, message: "Hi", ...dlt })
        expect(answer).toMatchObject({ status: 400, body: { field: "recipients" } })
      }),
    )

    it.effect("names the recipient that is no phone number", () =>
      Effect.gen(function* () {
        const answer = yield* post("/sms/bulk", {
          recipients: ["+919123400021", "12"],
          message: "Hi",
          ...dlt,
        })
        expect(answer).toMatchObject({ status: 400, body: { field: "recipients.1" } })
      }),
    )
  })

  describe("POST /webhooks/exotel/sms-status", () => {
    it.effect("records a status once, and refuses a callback without the request's token", () =>
      Effect.gen(function* () {
        const answer = yield* post("/sms/send", { to: "+919123400031", message: "Hello", ...dlt })
        const sid = String(answer.body.smsSid)
        const [callback] = yield* eventually(callbacksFor(sid), (c) => c.length > 0)
        const url = new URL(String(callback?.path))
        const token = url.searchParams.get("token") ?? ""
        const client = yield* clientWith(undefined)
        const send = (query: string, fields: Record<string, string>) =>
          client
            .execute(
              HttpClientRequest.post(`/api/exotel/webhooks/exotel/sms-status${query}`).pipe(
                HttpClientRequest.bodyUrlParams(fields),
              ),
            )
            .pipe(Effect.flatMap((r) => Effect.map(r.json, (body) => ({ status: r.status, body }))))
        const repeat = yield* send(`?token=${token}`, { SmsSid: sid, Status: "sent", To: "+919123400031" })
        expect(repeat).toEqual({ status: 200, body: { received: true, changed: false } })
        const wrong = yield* send("?token=not-the-token", { SmsSid: sid, Status: "failed" })
        expect(wrong.status).toBe(403)
        const missing = yield* send("", { SmsSid: sid, Status: "failed" })
        expect(missing.status).toBe(400)
      }),
    )
  })
})
