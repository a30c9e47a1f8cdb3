// Exotel refuses an SMS without From (exotel-protocol.md §2.5, decision 12), and the seed's examples name none:
// the gateway sends from the request's sender, else the exotel-sms-sender-id setting (EXOTEL_SMS_SENDER_ID, a
// DLT header), else the default ExoPhone; with none of them it refuses with 400 naming `from`.
import { describe, expect, layer } from "@effect/vitest"
import { Context, Effect, Layer, Option } from "effect"
import { TestGatewayLive } from "../support/testGateway.js"
import { allowAll, eventually, get, ledger, post, put } from "../support/upstream.js"
import { type ReceivedWebhook, webhookReceiver } from "../support/webhookReceiver.js"

class Client extends Context.Tag("Client")<
  Client,
  { readonly url: string; readonly received: Array<ReceivedWebhook> }
>() {}

const sentTo = (kind: "sms" | "bulk_sms", to: string) =>
  Effect.map(ledger, (l) =>
    l
      .all()
      .filter((e) => e.kind === kind && (e.fields.To === to || e.fields["Messages[0][To]"] === to))
      .map((e) => ({ status: e.status, fields: e.fields })),
  )

const configured = Layer.merge(
  TestGatewayLive({
    smsSenderId: Option.some("MNGWLE"),
    defaultExoPhone: Option.some("08040000000"),
    dltEntityId: Option.some("1201159100000000001"),
  }),
  Layer.scoped(Client, webhookReceiver()),
)

layer(configured, { timeout: 60_000, excludeTestServices: true })("with EXOTEL_SMS_SENDER_ID set", (it) => {
  it.effect("the seed's /sms/send example goes out from the configured sender", () =>
    Effect.gen(function* () {
      const { url } = yield* Client
      // The seed's body as written, but for its statusCallback, which points at a loopback receiver here.
      const answer = yield* post("/sms/send", {
        to: "+919123456789",
        message: "Your order ORDER-12345 has been confirmed.",
        templateId: "TEMPLATE_123",
        dltTemplateId: "DLT_TEMPLATE_123",
        smsType: "transactional",
        priority: "normal",
        customField: "ORDER-12345",
        statusCallback: url,
      })
      expect(answer).toMatchObject({ status: 200, body: { status: "queued" } })
      const [request] = yield* sentTo("sms", "+919123456789")
      expect(request).toMatchObject({
        status: 200,
        fields: { From: "MNGWLE", DltEntityId: "1201159100000000001", DltTemplateId: "DLT_TEMPLATE_123" },
      })
      const forwarded = yield* eventually(
        Effect.map(Client, (c) => c.received),
        (r) => r.length > 0,
      )
      expect(forwarded[0]?.body).toMatchObject({ type: "SMS_STATUS", status: "sent" })
    }),
  )

  it.effect("the seed's /sms/bulk example goes out from its own sender, and its totals are the seed's", () =>
    Effect.gen(function* () {
      expect((yield* put("/config/timing", allowAll)).status).toBe(200)
      const answer = yield* post("/sms/bulk", {
        from: "MANGWALE",
        recipients: ["+919123456789", "+919876543210"],
        message: "Special offer! Get 20% off.",
        smsType: "promotional",
        dltEntityId: "your-dlt-entity-id",
        dltTemplateId: "DLT_TEMPLATE_456",
      })
      expect(answer).toMatchObject({ status: 200, body: { total: 2, success: 2, failed: 0 } })
      const [request] = yield* sentTo("bulk_sms", "+919123456789")
      expect(request?.fields).toMatchObject({
        From: "MANGWALE",
        "Messages[1][To]": "+919876543210",
        "Messages[1][DltEntityId]": "your-dlt-entity-id",
        "Messages[1][SmsType]": "promotional",
      })
    }),
  )

  it.effect("a bulk SMS that names no sender goes out from the configured one", () =>
    Effect.gen(function* () {
      const answer = yield* post("/sms/bulk", {
        recipients: ["+919123400051"],
        message: "Your order is ready",
        dltTemplateId: "1207160000000000001",
      })
      expect(answer).toMatchObject({ status: 200, body: { total: 1, success: 1 } })
      const [request] = yield* sentTo("bulk_sms", "+919123400051")
      expect(request?.fields.From).toBe("MNGWLE")
    }),
  )
})

layer(TestGatewayLive({ dltEntityId: Option.some("1201159100000000001") }), {
  timeout: 60_000,
  excludeTestServices: true,
})("with no sender configured", (it) => {
  describe("neither exotel-sms-sender-id nor exotel-default-exophone", () => {
    it.effect("an SMS or a bulk SMS without from is refused with 400 naming from; Exotel hears nothing", () =>
      Effect.gen(function* () {
        const dlt = { dltTemplateId: "1207160000000000001" }
        const single = yield* post("/sms/send", { to: "+919123400061", message: "Hello", ...dlt })
        expect(single).toMatchObject({ status: 400, body: { _tag: "BadRequest", field: "from" } })
        const bulk = yield* post("/sms/bulk", { recipients: ["+919123400062"], message: "Hello", ...dlt })
        expect(bulk).toMatchObject({ status: 400, body: { _tag: "BadRequest", field: "from" } })
        expect(yield* sentTo("sms", "+919123400061")).toEqual([])
        expect(yield* sentTo("bulk_sms", "+919123400062")).toEqual([])
        // A request that names its sender needs no setting.
        const named = yield* post("/sms/send", {
          to: "+919123400063",
          message: "Hello",
          from: "MNGWLE",
          ...dlt,
        })
        expect(named.status).toBe(200)
      }),
    )
  })

  it.effect("the default ExoPhone is the sender until exotel-sms-sender-id is set through PUT /config", () =>
    Effect.gen(function* () {
      const dlt = { dltTemplateId: "1207160000000000001" }
      expect((yield* put("/config", { defaultExoPhone: "08040000000" })).status).toBe(200)
      expect((yield* post("/sms/send", { to: "+919123400071", message: "Hello", ...dlt })).status).toBe(200)
      expect((yield* sentTo("sms", "+919123400071"))[0]?.fields.From).toBe("08040000000")
      const changed = yield* put("/config", { smsSenderId: "MNGWLE" })
      expect(changed).toMatchObject({ status: 200, body: { smsSenderId: "MNGWLE" } })
      expect((yield* get("/config")).body).toMatchObject({ smsSenderId: "MNGWLE" })
      expect((yield* post("/sms/send", { to: "+919123400072", message: "Hello", ...dlt })).status).toBe(200)
      expect((yield* sentTo("sms", "+919123400072"))[0]?.fields.From).toBe("MNGWLE")
      const refused = yield* put("/config", { smsSenderId: "NOT A HEADER" })
      expect(refused).toMatchObject({ status: 400 })
    }),
  )
})
