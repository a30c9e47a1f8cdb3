import { HttpClientRequest } from "@effect/platform"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option } from "effect"
import { clientWith, TestGatewayLive } from "../support/testGateway.js"
import { allowAll, dndNow, eventually, get, ledger, post, put } from "../support/upstream.js"

const gateway = TestGatewayLive({ defaultExoPhone: Option.some("08040000000") })
const agent = "+919876500001"

const callbackPosts = (callSid: string) =>
  Effect.map(ledger, (l) => l.all().filter((e) => e.kind === "callback" && e.fields.CallSid === callSid))

layer(gateway, { timeout: 60_000, excludeTestServices: true })(
  "calls, masking, WhatsApp, templates",
  (it) => {
    describe("POST /verified-calls", () => {
      it.effect(
        "places a Connect Voice AI call from the verified ExoPhone to the voice stream, with the reason",
        () =>
          Effect.gen(function* () {
            const answer = yield* post("/verified-calls", {
              phone: "+919123500001",
              reason: "Order Delivery Update",
              orderId: "ORDER-12345",
              priority: "high",
            })
            expect(answer).toMatchObject({
              status: 200,
              body: { status: "initiated", verifiedExoPhone: "08040000000", reason: "Order Delivery Update" },
            })
            const request = (yield* ledger)
              .all()
              .find((e) => e.kind === "call" && e.fields.From === "+919123500001")
            expect(request?.fields).toMatchObject({
              CallerId: "08040000000",
              StreamType: "bidirectional",
              CustomField: "Order Delivery Update|ORDER-12345",
            })
            expect(String(request?.fields.StreamUrl)).toMatch(
              /^ws:\/\/127\.0\.0\.1:\d+\/api\/exotel\/voice-stream\?callId=call_/,
            )
            const callSid = String(answer.body.callSid)
            yield* eventually(get(`/calls/${callSid}`), (r) => r.body.status === "completed")
            const call = yield* get(`/calls/${callSid}`)
            expect(call.body).toMatchObject({
              kind: "verified",
              reason: "Order Delivery Update",
              orderId: "ORDER-12345",
            })
          }),
      )

      it.effect("is refused with 403 naming the flag when verifiedCallsEnabled is off", () =>
        Effect.gen(function* () {
          expect((yield* put("/config/features/verifiedCallsEnabled", { enabled: false })).status).toBe(200)
          const answer = yield* post("/verified-calls", { phone: "+919123500002", reason: "Update" })
          expect(answer.status).toBe(403)
          expect(String(answer.body.message)).toMatch(/verifiedCallsEnabled/)
          yield* put("/config/features/verifiedCallsEnabled", { enabled: true })
        }),
      )

      it.effect("refuses a promotional call in DND with 422 and nextAvailableTime", () =>
        Effect.gen(function* () {
          yield* put("/config/timing", dndNow)
          const answer = yield* post("/verified-calls", {
            phone: "+919123500003",
            reason: "Offer",
            purpose: "promotional_offer",
          })
          expect(answer).toMatchObject({ status: 422, body: { _tag: "Unprocessable", field: "purpose" } })
          expect(Date.parse(String(answer.body.nextAvailableTime))).toBeGreaterThan(Date.now())
          const clickToCall = yield* post("/click-to-call", {
            agentPhone: agent,
            customerPhone: "+919123500003",
            purpose: "abandoned_cart",
          })
          expect(clickToCall.status).toBe(422)
          expect(
            (yield* ledger)
              .all()
              .filter((e) => e.fields.From === "+919123500003" || e.fields.To === "+919123500003"),
          ).toEqual([])
          yield* put("/config/timing", allowAll)
        }),
      )

      for (const [field, value] of [
        ["phone", "0"],
        ["reason", ""],
        ["priority", "urgent"],
      ] as const) {
        it.effect(`names the bad field ${field}`, () =>
          Effect.gen(function* () {
            const answer = yield* post("/verified-calls", {
              phone: "+919123500004",
              reason: "r",
              [field]: value,
            })
            expect(answer).toMatchObject({ status: 400, body: { field } })
          }),
        )
      }
    })

    describe("POST /webhooks/exotel/call-status", () => {
      it.effect(
        "records each status once; a late or repeated callback changes nothing; a wrong token is refused",
        () =>
          Effect.gen(function* () {
            const answer = yield* post("/click-to-call", {
              agentPhone: agent,
              customerPhone: "+919123500011",
            })
            const callSid = String(answer.body.callSid)
            const posts = yield* eventually(callbackPosts(callSid), (c) =>
              c.some((e) => e.fields.EventType === "terminal"),
            )
            expect(posts.map((p) => [p.fields.Status, p.status])).toEqual([
              ["in-progress", 200],
              ["completed", 200],
            ])
            const token = new URL(String(posts[0]?.path)).searchParams.get("token") ?? ""
            const client = yield* clientWith(undefined)
            const send = (query: string, body: unknown) =>
              client
                .execute(
                  HttpClientRequest.post(`/api/exotel/webhooks/exotel/call-status${query}`).pipe(
                    HttpClientRequest.bodyUnsafeJson(body),
                  ),
                )
                .pipe(Effect.flatMap((r) => Effect.map(r.json, (json) => ({ status: r.status, body: json }))))
            // JSON bodies are accepted as well as form bodies.
            expect(yield* send(`?token=${token}`, { CallSid: callSid, Status: "completed" })).toEqual({
              status: 200,
              body: { received: true, changed: false },
            })
            expect(yield* send(`?token=${token}`, { CallSid: callSid, Status: "ringing" })).toMatchObject({
              body: { changed: true },
            })
            expect((yield* get(`/calls/${callSid}`)).body.status).toBe("completed")
            expect((yield* send("?token=forged", { CallSid: callSid, Status: "failed" })).status).toBe(403)
            expect(
              (yield* send(`?token=${token}`, { CallSid: "someone-elses-call", Status: "failed" })).status,
            ).toBe(403)
            expect((yield* send("", { CallSid: callSid, Status: "failed" })).status).toBe(400)
            expect((yield* send(`?token=${token}`, { Status: "failed" })).body).toMatchObject({
              field: "CallSid",
            })
          }),
      )
    })

    describe("POST /number-masking", () => {
      it.effect("allocates a GreenVN for the two parties and stores the mapping with its expiry", () =>
        Effect.gen(function* () {
          const answer = yield* post("/number-masking", {
            partyA: "+919876543210",
            partyB: "9123456789",
            expiresInHours: 24,
            callType: "trans",
            context: "ORDER-12345",
          })
          expect(answer.status).toBe(200)
          expect(answer.body).toMatchObject({
            virtualNumber: expect.stringMatching(/^\+918040\d{6}$/),
            mappingId: expect.stringMatching(/^mask_/),
          })
          const expiresAt = Date.parse(String(answer.body.expiresAt))
          expect(Math.abs(expiresAt - (Date.now() + 24 * 3_600_000))).toBeLessThan(60_000)
          const request = (yield* ledger).all().findLast((e) => e.kind === "greenvn")
          expect(request?.fields).toMatchObject({
            connection_id: answer.body.mappingId,
            aparty_numbers: ["+919876543210"],
            bparty_numbers: ["+919123456789"],
            usage: "twoway",
            deallocation_policy: { duration: "86400s" },
          })
        }),
      )

      for (const [field, value] of [
        ["expiresInHours", 0],
        ["expiresInHours", 169],
        ["expiresInHours", 1.5],
        ["partyA", "abc"],
        ["callType", "spam"],
      ] as const) {
        it.effect(`refuses ${field} = ${value}`, () =>
          Effect.gen(function* () {
            const answer = yield* post("/number-masking", {
              partyA: "+919876543210",
              partyB: "+919123456789",
              [field]: value,
            })
            expect(answer).toMatchObject({ status: 400, body: { field } })
          }),
        )
      }

      it.effect("passes on Exotel's refusal (…998) and answers 403 naming the flag when masking is off", () =>
        Effect.gen(function* () {
          const refused = yield* post("/number-masking", { partyA: "+919876543210", partyB: "+919123456998" })
          expect(refused).toMatchObject({ status: 422, body: { _tag: "UpstreamRejected" } })
          yield* put("/config/features/numberMaskingEnabled", { enabled: false })
          const off = yield* post("/number-masking", { partyA: "+919876543210", partyB: "+919123456789" })
          expect(off.status).toBe(403)
          expect(String(off.body.message)).toMatch(/numberMaskingEnabled/)
          yield* put("/config/features/numberMaskingEnabled", { enabled: true })
        }),
      )
    })

    describe("POST /whatsapp/send", () => {
      it.effect("sends a template message with its variables as body parameters", () =>
        Effect.gen(function* () {
          const answer = yield* post("/whatsapp/send", {
            to: "+919123456789",
            templateName: "order_confirmation",
            variables: { orderId: "ORDER-12345", total: "₹450", deliveryTime: "Today by 7 PM" },
            languageCode: "en",
          })
          expect(answer).toMatchObject({ status: 200, body: { status: "accepted", sid: expect.any(String) } })
          const request = (yield* ledger).all().findLast((e) => e.kind === "whatsapp")
          expect(request?.fields).toMatchObject({
            whatsapp: {
              messages: [
                {
                  from: "08040000000",
                  to: "+919123456789",
                  content: {
                    type: "template",
                    template: {
                      name: "order_confirmation",
                      language: { code: "en", policy: "deterministic" },
                      components: [
                        {
                          type: "body",
                          parameters: [
                            { type: "text", text: "ORDER-12345" },
                            { type: "text", text: "₹450" },
                            { type: "text", text: "Today by 7 PM" },
                          ],
                        },
                      ],
                    },
                  },
                },
              ],
            },
          })
        }),
      )

      it.effect("answers 422 when Exotel rejects the recipient (…993), and 400 for a bad template name", () =>
        Effect.gen(function* () {
          const rejected = yield* post("/whatsapp/send", {
            to: "+919123456993",
            templateName: "order_confirmation",
          })
          expect(rejected.status).toBe(422)
          const bad = yield* post("/whatsapp/send", {
            to: "+919123456789",
            templateName: "Order Confirmation",
          })
          expect(bad).toMatchObject({ status: 400, body: { field: "templateName" } })
          const badLanguage = yield* post("/whatsapp/send", {
            to: "+919123456789",
            templateName: "a",
            languageCode: "english",
          })
          expect(badLanguage).toMatchObject({ status: 400, body: { field: "languageCode" } })
        }),
      )
    })

    describe("GET /templates/:purpose", () => {
      it.effect("answers the seed's script shape with variables filled in", () =>
        Effect.gen(function* () {
          const answer = yield* get("/templates/order_confirmation?orderId=ORDER-1&itemCount=3&total=450")
          expect(answer).toEqual({
            status: 200,
            body: {
              greeting: "Hello, this is Mangwale calling to confirm your order.",
              script: "Your order ORDER-1 for 3 items totaling ₹450 has been placed successfully.",
              closingScript: "Thank you for ordering with Mangwale!",
              maxDuration: 120,
              priority: 2,
              language: "en",
            },
          })
        }),
      )

      it.effect(
        "answers the script in Hindi with ?language=hi, and refuses a language it does not speak",
        () =>
          Effect.gen(function* () {
            const answer = yield* get("/templates/order_confirmation?language=hi&orderId=ORDER-1&total=450")
            expect(answer).toEqual({
              status: 200,
              body: {
                greeting: "नमस्ते, यह मंगवाले से आपके ऑर्डर की पुष्टि के लिए कॉल है।",
                script: "आपका ऑर्डर नंबर ORDER-1, {itemCount} आइटम, कुल ₹450, सफलतापूर्वक दर्ज हो गया है।",
                closingScript: "मंगवाले से ऑर्डर करने के लिए धन्यवाद!",
                maxDuration: 120,
                priority: 2,
                language: "hi",
              },
            })
            expect((yield* get("/templates/custom?language=en")).body).toMatchObject({ language: "en" })
            const refused = yield* get("/templates/order_confirmation?language=fr")
            expect(refused).toMatchObject({ status: 400, body: { field: "language" } })
          }),
      )

      it.effect("lets no one in without a token, and refuses a hostile language with a 400 naming it", () =>
        Effect.gen(function* () {
          const anonymous = yield* clientWith(undefined)
          const refused = yield* anonymous.get("/api/exotel/templates/order_confirmation?language=hi")
          expect(refused.status).toBe(401)
          for (const hostile of ["hi%00", "x".repeat(5_000), "hi%27%3B--"]) {
            const answer = yield* get(`/templates/order_confirmation?language=${hostile}`)
            expect(answer).toMatchObject({ status: 400, body: { field: "language" } })
          }
        }),
      )

      it.effect("knows all nine purposes and refuses another", () =>
        Effect.gen(function* () {
          for (const purpose of [
            "order_confirmation",
            "delivery_update",
            "payment_reminder",
            "promotional_offer",
            "feedback_request",
            "support_callback",
            "otp_verification",
            "abandoned_cart",
            "custom",
          ]) {
            expect((yield* get(`/templates/${purpose}`)).status).toBe(200)
          }
          const unknown = yield* get("/templates/spam")
          expect(unknown).toMatchObject({ status: 400, body: { field: "purpose" } })
        }),
      )
    })
  },
)
