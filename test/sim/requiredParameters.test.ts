// The simulator and the Connect Voice AI stand-in refuse, over real HTTP, what Exotel refuses
// (exotel-protocol.md decision 12): a required parameter missing, or a request in a shape no Exotel page
// describes, gets 400 and Exotel's message; the documented shapes are accepted.
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { defaultSimulatorOptions, startExotelSimulator } from "../../src/sim/exotel/ExotelSimulator.js"
import { startExotelConnectPeer } from "../../src/sim/streamCaller/ExotelConnectPeer.js"
import { simulatorAccount } from "../../src/upstream/exotel/ExotelClient.js"

const auth = `Basic ${Buffer.from(`${simulatorAccount.apiKey}:${simulatorAccount.apiToken}`).toString("base64")}`
const v1 = `/v1/Accounts/${simulatorAccount.accountSid}`

type Body = { readonly form: ReadonlyArray<readonly [string, string]> } | { readonly json: unknown }

const send = (base: string, method: string, path: string, body?: Body) =>
  Effect.promise(async () => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: auth,
        ...(body === undefined
          ? {}
          : { "content-type": "form" in body ? "application/x-www-form-urlencoded" : "application/json" }),
      },
      ...(body === undefined
        ? {}
        : {
            body:
              "form" in body
                ? new URLSearchParams(body.form.map(([k, v]): [string, string] => [k, v])).toString()
                : JSON.stringify(body.json),
          }),
    })
    return { status: response.status, body: (await response.json()) as unknown }
  })

const simulator = Effect.map(
  startExotelSimulator(defaultSimulatorOptions(simulatorAccount, { callbackDelayMs: 600_000 })),
  (sim) => sim.url,
)

const refusal = (message: string) => ({
  status: 400,
  body: { RestException: { Status: 400, Message: message } },
})

const sms: ReadonlyArray<readonly [string, string]> = [
  ["From", "MNGWLE"],
  ["To", "+919123456789"],
  ["Body", "Your order ORDER-12345 has been confirmed."],
  ["DltEntityId", "1201159100000000001"],
  ["DltTemplateId", "1207160000000000001"],
]
const without = (form: ReadonlyArray<readonly [string, string]>, name: string) =>
  form.filter(([k]) => k !== name)

const streamedCall: ReadonlyArray<readonly [string, string]> = [
  ["From", "+919123456789"],
  ["CallerId", "08040000000"],
  ["StreamUrl", "ws://127.0.0.1:9/api/exotel/voice-stream?callId=call_1"],
  ["StreamType", "bidirectional"],
]

describe("the simulator refuses as Exotel does", () => {
  it.scoped("Sms/send without From is refused: 400 Missing parameter: From", () =>
    Effect.gen(function* () {
      const url = yield* simulator
      const answer = yield* send(url, "POST", `${v1}/Sms/send.json`, { form: without(sms, "From") })
      expect(answer).toEqual(refusal("Missing parameter: From"))
    }),
  )

  it.scoped("Sms/send names each required parameter it misses, and takes the whole request", () =>
    Effect.gen(function* () {
      const url = yield* simulator
      for (const name of ["To", "Body", "DltEntityId"]) {
        const answer = yield* send(url, "POST", `${v1}/Sms/send.json`, { form: without(sms, name) })
        expect(answer).toEqual(refusal(`Missing parameter: ${name}`))
      }
      const empty = yield* send(url, "POST", `${v1}/Sms/send.json`, {
        form: [...without(sms, "From"), ["From", ""]],
      })
      expect(empty).toEqual(refusal("Missing parameter: From"))
      // A number outside India carries no DLT entity.
      const abroad = yield* send(url, "POST", `${v1}/Sms/send.json`, {
        form: [...without(without(sms, "DltEntityId"), "To"), ["To", "+447700900123"]],
      })
      expect(abroad.status).toBe(200)
      const whole = yield* send(url, "POST", `${v1}/Sms/send.json`, { form: sms })
      expect(whole).toMatchObject({ status: 200, body: { SMSMessage: { From: "MNGWLE", Status: "queued" } } })
    }),
  )

  it.scoped("Sms/bulksend takes Messages[i] form fields or JSON sms[], and refuses a To list", () =>
    Effect.gen(function* () {
      const url = yield* simulator
      const path = `${v1}/Sms/bulksend.json`
      const list = yield* send(url, "POST", path, {
        form: [...without(sms, "To"), ["To", "+919123456789,+919876543210"]],
      })
      expect(list).toMatchObject({
        status: 400,
        body: { RestException: { Message: /^Invalid parameter: To/ } },
      })
      const message = (i: number, to: string): ReadonlyArray<readonly [string, string]> => [
        [`Messages[${i}][To]`, to],
        [`Messages[${i}][Body]`, "Your order is ready"],
        [`Messages[${i}][DltEntityId]`, "1201159100000000001"],
      ]
      const form = yield* send(url, "POST", path, {
        form: [["From", "MNGWLE"], ...message(0, "+919123456789"), ...message(1, "+919123456998")],
      })
      expect(form).toMatchObject({
        status: 200,
        body: {
          SMSMessages: [
            { SMSMessage: { To: "+919123456789", From: "MNGWLE" } },
            { RestException: { Status: 403 } },
          ],
        },
      })
      const noSender = yield* send(url, "POST", path, { form: message(0, "+919123456789") })
      expect(noSender).toEqual(refusal("Missing parameter: Messages[0][From]"))
      const noBody = yield* send(url, "POST", path, {
        form: [["From", "MNGWLE"], ...message(0, "+919123456789").filter(([k]) => !k.endsWith("[Body]"))],
      })
      expect(noBody).toEqual(refusal("Missing parameter: Messages[0][Body]"))
      const commaInMessage = yield* send(url, "POST", path, {
        form: [["From", "MNGWLE"], ...message(0, "+919123456789,+919876543210")],
      })
      expect(commaInMessage).toEqual(refusal("Invalid parameter: Messages[0][To] must be one number"))
      const tooMany = yield* send(url, "POST", path, {
        form: [
          ["From", "MNGWLE"],
          ...Array.from({ length: 101 }, (_, i) => message(i, `+9191234${String(10000 + i)}`)).flat(),
        ],
      })
      expect(tooMany).toEqual(refusal("Invalid parameter: Messages must hold at most 100 messages a request"))
      const json = yield* send(url, "POST", path, {
        json: {
          sms: [
            { From: "MNGWLE", To: "+919123456789", Body: "Hi", DltEntityId: "1201159100000000001" },
            { From: "MNGWLE", To: "+919876543210", Body: "Hi", DltEntityId: "1201159100000000001" },
          ],
        },
      })
      expect(json).toMatchObject({
        status: 200,
        body: { SMSMessages: [{ SMSMessage: {} }, { SMSMessage: {} }] },
      })
      const jsonWithoutEntity = yield* send(url, "POST", path, {
        json: { sms: [{ From: "MNGWLE", To: "+919123456789", Body: "Hi" }] },
      })
      expect(jsonWithoutEntity).toEqual(refusal("Missing parameter: sms[0].DltEntityId"))
    }),
  )

  it.scoped(
    "Calls/connect needs From, CallerId and To, Url or StreamUrl; Connect Voice AI needs StreamType",
    () =>
      Effect.gen(function* () {
        const url = yield* simulator
        const path = `${v1}/Calls/connect.json`
        for (const name of ["From", "CallerId", "StreamType"]) {
          const answer = yield* send(url, "POST", path, { form: without(streamedCall, name) })
          expect(answer).toEqual(refusal(`Missing parameter: ${name}`))
        }
        const nowhere = yield* send(url, "POST", path, { form: without(streamedCall, "StreamUrl") })
        expect(nowhere).toEqual(refusal("Missing parameter: To"))
        const httpStream = yield* send(url, "POST", path, {
          form: [...without(streamedCall, "StreamUrl"), ["StreamUrl", "https://example.test/stream"]],
        })
        expect(httpStream).toEqual(refusal("Invalid parameter: StreamUrl must be a ws:// or wss:// URL"))
        const clickToCall = yield* send(url, "POST", path, {
          form: [
            ["From", "+919876500001"],
            ["To", "+919123456789"],
            ["CallerId", "08040000000"],
          ],
        })
        expect(clickToCall).toMatchObject({ status: 200, body: { Call: { Status: "in-progress" } } })
        const toFlow = yield* send(url, "POST", path, {
          form: [
            ["From", "+919876500001"],
            ["CallerId", "08040000000"],
            ["Url", "http://my.exotel.com/simulator/exoml/start_voice/1"],
          ],
        })
        expect(toFlow.status).toBe(200)
        expect((yield* send(url, "POST", path, { form: streamedCall })).status).toBe(200)
      }),
  )

  it.scoped("Calls.json pages hold at most 100 calls; a recording URL lives 5 to 60 minutes", () =>
    Effect.gen(function* () {
      const url = yield* simulator
      expect(yield* send(url, "GET", `${v1}/Calls.json?PageSize=101`)).toEqual(
        refusal("Invalid parameter: PageSize must be from 1 to 100"),
      )
      expect((yield* send(url, "GET", `${v1}/Calls.json?PageSize=100`)).status).toBe(200)
      expect(yield* send(url, "GET", `${v1}/Calls/abc.json?RecordingUrlValidity=61`)).toEqual(
        refusal("Invalid parameter: RecordingUrlValidity must be from 5 to 60 minutes"),
      )
    }),
  )

  it.scoped("v2 messages need whatsapp.messages[] with from, to and a typed content", () =>
    Effect.gen(function* () {
      const url = yield* simulator
      const path = `/v2/accounts/${simulatorAccount.accountSid}/messages`
      const message = {
        from: "08040000000",
        to: "+919123456789",
        content: { type: "template", template: { name: "order_update" } },
      }
      expect(yield* send(url, "POST", path, { json: message })).toEqual(
        refusal("Missing parameter: whatsapp"),
      )
      expect(
        yield* send(url, "POST", path, {
          json: { whatsapp: { messages: [{ ...message, from: undefined }] } },
        }),
      ).toEqual(refusal("Missing parameter: whatsapp.messages[0].from"))
      expect(
        yield* send(url, "POST", path, { json: { whatsapp: { messages: [{ ...message, content: {} }] } } }),
      ).toEqual(refusal("Missing parameter: whatsapp.messages[0].content.type"))
      expect((yield* send(url, "POST", path, { json: { whatsapp: { messages: [message] } } })).status).toBe(
        202,
      )
    }),
  )

  it.scoped(
    "GreenVN needs connection_id, aparty_numbers, bparty_numbers and usage, in its own envelope",
    () =>
      Effect.gen(function* () {
        const url = yield* simulator
        const path = `/v1/tenants/${simulatorAccount.accountSid}/greenvn`
        const allocation = {
          connection_id: "order-1",
          aparty_numbers: ["+919876543210"],
          bparty_numbers: ["+919123456789"],
          usage: "twoway",
        }
        for (const key of Object.keys(allocation)) {
          const answer = yield* send(url, "POST", path, { json: { ...allocation, [key]: undefined } })
          expect(answer).toEqual({
            status: 400,
            body: {
              success: false,
              status: 400,
              code: null,
              message: `Missing parameter: ${key}`,
              data: null,
            },
          })
        }
        expect((yield* send(url, "POST", path, { json: allocation })).status).toBe(200)
      }),
  )

  it.scoped("the Connect Voice AI stand-in refuses the same requests", () =>
    Effect.gen(function* () {
      const peer = yield* Effect.acquireRelease(
        Effect.promise(() => startExotelConnectPeer(() => ({ kind: "busy" }))),
        (p) => Effect.promise(p.close),
      )
      const path = `${v1}/Calls/connect.json`
      for (const name of ["From", "CallerId", "StreamType"]) {
        const answer = yield* send(peer.url, "POST", path, { form: without(streamedCall, name) })
        expect(answer).toEqual(refusal(`Missing parameter: ${name}`))
      }
      expect(peer.calls).toHaveLength(0)
      const accepted = yield* send(peer.url, "POST", path, {
        form: [...streamedCall, ["StatusCallback", "http://127.0.0.1:9/status"]],
      })
      expect(accepted.status).toBe(200)
      expect(peer.calls).toHaveLength(1)
    }),
  )
})
