import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Context, Effect, Layer, Option } from "effect"
import { TestGatewayLive } from "../support/testGateway.js"
import { eventually, ledger, post } from "../support/upstream.js"
import { type ReceivedWebhook, webhookReceiver } from "../support/webhookReceiver.js"

class Client extends Context.Tag("Client")<
  Client,
  { readonly url: string; readonly received: Array<ReceivedWebhook> }
>() {}

// The delivery backend's own statusCallback URL, which answers 500 once: the forward is retried.
const ClientLive = Layer.scoped(Client, webhookReceiver(1))

const gateway = Layer.merge(
  TestGatewayLive({
    defaultExoPhone: Option.some("08040000000"),
    dltEntityId: Option.some("1201159100000000001"),
  }),
  ClientLive,
)

const forwardedFor = (key: string, value: string) =>
  Effect.map(Client, (c) => c.received.filter((w) => (w.body as Record<string, unknown>)[key] === value))

/** Posts a callback the simulator already sent, again, to the same URL. */
const replay = (entry: { path: string; fields: Readonly<Record<string, unknown>> }) =>
  Effect.promise(() =>
    fetch(entry.path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(entry.fields as Record<string, string>).toString(),
    }).then((r) => r.json() as Promise<{ changed: boolean }>),
  )

layer(gateway, { timeout: 60_000, excludeTestServices: true })("the client's statusCallback", (it) => {
  describe("click-to-call", () => {
    it.effect("hears each status the call takes, once, with the event id to de-duplicate by", () =>
      Effect.gen(function* () {
        const { url } = yield* Client
        const answer = yield* post("/click-to-call", {
          agentPhone: "+919876500001",
          customerPhone: "+919123400101",
          customField: "ORDER-9",
          statusCallback: url,
        })
        expect(answer.status).toBe(200)
        const callSid = String(answer.body.callSid)
        const forwarded = yield* eventually(
          forwardedFor("callSid", callSid),
          (w) => w.some((x) => (x.body as { status: string }).status === "completed"),
          "15 seconds",
        )
        const completed = forwarded.find((w) => (w.body as { status: string }).status === "completed")
        expect(completed?.body).toMatchObject({
          type: "CALL_STATUS",
          callSid,
          status: "completed",
          to: "+919123400101",
          customField: "ORDER-9",
        })
        expect(completed?.eventId).toMatch(/^call-call_.+-completed$/)

        // Exotel repeating its callback changes nothing and forwards nothing more.
        const sent = (yield* ledger)
          .all()
          .filter(
            (e) => e.kind === "callback" && e.fields.CallSid === callSid && e.fields.Status === "completed",
          )
        expect(sent).toHaveLength(1)
        expect(yield* replay(sent[0] as (typeof sent)[number])).toMatchObject({ changed: false })
        yield* Effect.sleep("2500 millis")
        const after = yield* forwardedFor("callSid", callSid)
        expect(after.filter((w) => (w.body as { status: string }).status === "completed")).toHaveLength(1)
      }),
    )

    it.effect("a call without a statusCallback forwards nothing", () =>
      Effect.gen(function* () {
        const answer = yield* post("/click-to-call", {
          agentPhone: "+919876500001",
          customerPhone: "+919123400102",
        })
        const callSid = String(answer.body.callSid)
        yield* eventually(
          Effect.map(ledger, (l) =>
            l.all().filter((e) => e.kind === "callback" && e.fields.CallSid === callSid),
          ),
          (c) => c.length > 0,
        )
        yield* Effect.sleep("500 millis")
        expect(yield* forwardedFor("callSid", callSid)).toEqual([])
      }),
    )
  })

  describe("SMS", () => {
    it.effect("hears the delivery report of an SMS sent with a statusCallback", () =>
      Effect.gen(function* () {
        const { url } = yield* Client
        const answer = yield* post("/sms/send", {
          to: "+919123400103",
          message: "Your order is on its way",
          dltTemplateId: "1207160000000000001",
          statusCallback: url,
        })
        expect(answer.status).toBe(200)
        const smsSid = String(answer.body.smsSid)
        const [report] = yield* eventually(forwardedFor("smsSid", smsSid), (w) => w.length > 0, "15 seconds")
        expect(report?.body).toMatchObject({
          type: "SMS_STATUS",
          smsSid,
          status: "sent",
          detailedStatus: "DELIVERED_TO_HANDSET",
          to: "+919123400103",
        })
        expect(report?.eventId).toMatch(/^sms-sms_.+-sent$/)
      }),
    )
  })

  describe("WhatsApp", () => {
    const whatsAppRow = (id: string) =>
      Effect.flatMap(SqlClient.SqlClient, (sql) =>
        sql<{ status: string; callbackToken: string; sid: string }>`
          SELECT status, callback_token, sid FROM whatsapp_messages WHERE id = ${id}`.pipe(
          Effect.map((rows) => rows[0]),
          Effect.orDie,
        ),
      )

    const report = (token: string, body: unknown) =>
      post(`/webhooks/exotel/whatsapp-status?token=${encodeURIComponent(token)}`, body)

    it.effect("records sent, delivered and seen from Exotel's reports and forwards each to the client", () =>
      Effect.gen(function* () {
        const { url } = yield* Client
        const answer = yield* post("/whatsapp/send", {
          to: "+919123400104",
          templateName: "order_confirmation",
          variables: { orderId: "ORDER-7" },
          statusCallback: url,
        })
        expect(answer.status).toBe(200)
        const sid = String(answer.body.sid)
        const request = (yield* ledger).all().findLast((e) => e.kind === "whatsapp")
        expect(String(request?.fields.status_callback)).toMatch(/\/webhooks\/exotel\/whatsapp-status\?token=/)
        const forwarded = yield* eventually(forwardedFor("sid", sid), (w) => w.length === 3, "15 seconds")
        // The outbox delivers concurrently: the order of arrival is not promised, the set is.
        expect(forwarded.map((w) => (w.body as { status: string }).status).sort()).toEqual([
          "delivered",
          "seen",
          "sent",
        ])
        expect(forwarded[0]?.body).toMatchObject({ type: "WHATSAPP_STATUS", to: "+919123400104" })
        const row = yield* whatsAppRow(String(answer.body.id))
        expect(row?.status).toBe("seen")

        // A late "delivered" in the nested form is recorded but does not move a seen message back.
        const late = yield* report(String(row?.callbackToken), {
          whatsapp: {
            messages: [{ callback_type: "dlr", sid, exo_detailed_status: "EX_MESSAGE_DELIVERED" }],
          },
        })
        expect(late).toMatchObject({ status: 200, body: { received: true, changed: false } })
        expect((yield* whatsAppRow(String(answer.body.id)))?.status).toBe("seen")
      }),
    )

    it.effect("an unreachable phone (…992) reports sent, then failed", () =>
      Effect.gen(function* () {
        const answer = yield* post("/whatsapp/send", {
          to: "+919123400992",
          templateName: "order_confirmation",
        })
        expect(answer.status).toBe(200)
        const id = String(answer.body.id)
        const row = yield* eventually(whatsAppRow(id), (r) => r?.status === "failed", "15 seconds")
        expect(row?.status).toBe("failed")
      }),
    )

    it.effect("a report without the message's token, or for another sid, is refused with 403", () =>
      Effect.gen(function* () {
        const answer = yield* post("/whatsapp/send", {
          to: "+919123400105",
          templateName: "order_confirmation",
        })
        const row = yield* whatsAppRow(String(answer.body.id))
        const wrongToken = yield* report("not-a-token", { sid: String(answer.body.sid), status: "delivered" })
        expect(wrongToken.status).toBe(403)
        const wrongSid = yield* report(String(row?.callbackToken), {
          sid: "someone-else",
          status: "delivered",
        })
        expect(wrongSid.status).toBe(403)
        const empty = yield* report(String(row?.callbackToken), { whatsapp: { messages: [] } })
        expect(empty).toMatchObject({ status: 400 })
      }),
    )
  })
})
