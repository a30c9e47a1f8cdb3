// Exotel may post its status callbacks as multipart/form-data, so their endpoints take it; every other endpoint
// answers it with 415. A multipart body that is not a whole one is a 400, never a 500 or a request left hanging.
import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { send, serverPort } from "../support/rawHttp.js"
import { adminToken, TestGatewayLive } from "../support/testGateway.js"

const multipart = (path: string, body: string, headers: Record<string, string> = {}) =>
  Effect.flatMap(serverPort, (port) =>
    send({
      port,
      method: "POST",
      path: `/api/exotel${path}`,
      headers: { "content-type": "multipart/form-data; boundary=x", ...headers },
      body,
    }),
  )

const field = (name: string, value: string) =>
  `--x\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`

// The real clock: the cut-off body's deadline must pass.
layer(TestGatewayLive(), { excludeTestServices: true, timeout: 60_000 })("multipart bodies", (it) => {
  it.effect("a callback's multipart fields are decoded like any others", () =>
    Effect.gen(function* () {
      const answer = yield* multipart(
        "/webhooks/exotel/call-status?token=unknown",
        `${field("CallSid", "abc")}--x--\r\n`,
      )
      expect(answer.status).toBe(400)
      expect(JSON.parse(answer.text)).toMatchObject({ field: "Status" })
    }),
  )

  it.effect("a malformed multipart body is a 400", () =>
    Effect.gen(function* () {
      const answer = yield* multipart("/webhooks/exotel/sms-status?token=unknown", '{"SmsSid":"abc"}')
      expect(answer.status).toBe(400)
      expect(JSON.parse(answer.text)).toMatchObject({ _tag: "BadRequest", field: "body" })
    }),
  )

  it.effect("a multipart type without a boundary is a 400 naming the body, on every callback endpoint", () =>
    Effect.gen(function* () {
      for (const path of ["/nerve/exotel-status", "/webhooks/exotel/call-status?token=unknown"]) {
        const answer = yield* multipart(path, '{"CallSid":"abc","Status":"completed"}', {
          "content-type": "multipart/form-data",
          authorization: "Bearer \u00e9vg",
        })
        expect(answer.status).toBe(400)
        expect(JSON.parse(answer.text)).toMatchObject({ _tag: "BadRequest", field: "body" })
      }
    }),
  )

  it.effect("a multipart body cut off before its closing boundary is a 400 within seconds", () =>
    Effect.gen(function* () {
      const answer = yield* multipart("/nerve/exotel-status", "--x\r\ngarbage")
      expect(answer.status).toBe(400)
      expect(JSON.parse(answer.text)).toMatchObject({ message: expect.stringContaining("closing boundary") })
    }),
  )

  it.effect("an endpoint that is not an Exotel callback answers multipart with 415", () =>
    Effect.gen(function* () {
      const answer = yield* multipart("/sms/send", `${field("to", "+919123456789")}--x--\r\n`, {
        authorization: `Bearer ${adminToken}`,
      })
      expect(answer.status).toBe(415)
    }),
  )
})
