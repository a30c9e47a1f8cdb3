import { HttpClientRequest } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Clock, Effect } from "effect"
import { asAdmin, TestGatewayLive } from "../support/testGateway.js"

const put = (path: string, body: unknown) =>
  Effect.flatMap(asAdmin, (admin) =>
    admin.execute(HttpClientRequest.put(path).pipe(HttpClientRequest.bodyUnsafeJson(body))),
  )

const putRaw = (path: string, text: string) =>
  Effect.flatMap(asAdmin, (admin) =>
    admin.execute(HttpClientRequest.put(path).pipe(HttpClientRequest.bodyText(text, "application/json"))),
  )

layer(TestGatewayLive(), { timeout: 60_000 })("configuration", (it) => {
  describe("PUT /config", () => {
    it.effect("seals the key and token at rest and shows them masked", () =>
      Effect.gen(function* () {
        const response = yield* put("/api/exotel/config", {
          apiKey: "exotel-key-AAAA1111",
          apiToken: "exotel-token-BBBB2222",
          accountSid: "mangwale1",
          defaultExoPhone: "08040123456",
          dltEntityId: "1201159100000012345",
        })
        expect(response.status).toBe(200)
        const body = yield* response.json
        expect(body).toMatchObject({
          apiKey: "****1111",
          apiToken: "****2222",
          accountSid: "mangwale1",
          defaultExoPhone: "08040123456",
          upstream: "exotel",
        })
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ key: string; value: string; encrypted: boolean; category: string }>`
          SELECT key, value, encrypted, category FROM system_settings WHERE key IN ('exotel-api-key', 'exotel-api-token')`
        expect(rows).toHaveLength(2)
        for (const row of rows) {
          expect(row.encrypted).toBe(true)
          expect(row.category).toBe("exotel")
          expect(row.value).not.toContain("AAAA1111")
          expect(row.value).not.toContain("BBBB2222")
          expect(row.value).toMatch(/^v1:/)
        }
      }),
    )

    it.effect("names each bad field", () =>
      Effect.gen(function* () {
        const response = yield* put("/api/exotel/config", { serviceUrl: "ftp://x", subdomain: "not a host" })
        expect(response.status).toBe(400)
        const body = (yield* response.json) as { message: string }
        expect(body.message).toContain("serviceUrl:")
        expect(body.message).toContain("subdomain:")
      }),
    )

    it.effect("refuses credentials in the service URL, and a bad credential, without repeating either", () =>
      Effect.gen(function* () {
        const response = yield* put("/api/exotel/config", {
          serviceUrl: "https://key-Hq3r:token-Wp8s@api.exotel.com",
          apiToken: `token-Kd5m${"x".repeat(300)}`,
          apiKey: 12345678,
        })
        expect(response.status).toBe(400)
        const text = yield* response.text
        expect(text).toContain("serviceUrl: must be an http(s) URL with no user:password@ in it")
        expect(text).toContain("apiToken: must be a string of 1 to 256 characters")
        expect(text).toContain("apiKey: must be a string of 1 to 256 characters")
        for (const secret of ["Hq3r", "Wp8s", "Kd5m", "12345678"]) expect(text).not.toContain(secret)
      }),
    )
  })

  describe("timing", () => {
    it.effect("rejects 25:00 and an unknown timezone, naming both fields", () =>
      Effect.gen(function* () {
        const response = yield* put("/api/exotel/config/timing", {
          businessHoursStart: "25:00",
          timezone: "Mars/Base",
        })
        expect(response.status).toBe(400)
        const body = (yield* response.json) as { message: string; field: string }
        expect(body.field).toBe("businessHoursStart")
        expect(body.message).toContain('businessHoursStart: must be a time "HH:mm"')
        expect(body.message).toContain("timezone: must be an IANA timezone")
      }),
    )

    it.effect("answers a malformed JSON body with a 400 that says so", () =>
      Effect.gen(function* () {
        const response = yield* putRaw("/api/exotel/config/timing", '{"dndStart": ')
        expect(response.status).toBe(400)
        expect(yield* response.json).toMatchObject({
          _tag: "BadRequest",
          field: "body",
          message: expect.stringContaining("not valid JSON"),
        })
      }),
    )

    it.effect("takes a change into account on the next request, without a restart", () =>
      Effect.gen(function* () {
        const admin = yield* asAdmin
        // A window that is never open: no call for a service purpose is allowed at any time.
        yield* put("/api/exotel/config/timing", { businessHoursStart: "10:00", businessHoursEnd: "10:00" })
        const closed = (yield* (yield* admin.get("/api/exotel/timing/check?purpose=feedback_request"))
          .json) as Record<string, unknown>
        expect(closed.canCall).toBe(false)
        // Open all day, every day, without DND: the same purpose may call now.
        const response = yield* put("/api/exotel/config/timing", {
          businessHoursStart: "00:00",
          businessHoursEnd: "24:00",
          dndStart: "00:00",
          dndEnd: "00:00",
          weekendCallsAllowed: true,
          timezone: "UTC",
        })
        expect(response.status).toBe(200)
        expect(yield* response.json).toMatchObject({
          businessHoursEnd: "24:00",
          timezone: "UTC",
          holidays: [],
        })
        const open = (yield* (yield* admin.get("/api/exotel/timing/check?purpose=feedback_request"))
          .json) as Record<string, unknown>
        expect(open).toMatchObject({ canCall: true, reason: null, nextAvailableTime: null, timezone: "UTC" })
      }),
    )

    it.effect("explains a closed window and says when it opens", () =>
      Effect.gen(function* () {
        const admin = yield* asAdmin
        // The gateway in a layer test reads the same TestClock as the test, which starts at the epoch: a
        // Thursday. Jumping it decades would make every periodic task of the gateway catch up first.
        expect(yield* Clock.currentTimeMillis).toBeLessThan(86_400_000)
        yield* put("/api/exotel/config/timing", {
          businessHoursStart: "00:00",
          businessHoursEnd: "24:00",
          dndStart: "00:00",
          dndEnd: "00:00",
          weekendCallsAllowed: true,
          timezone: "UTC",
          holidays: ["1970-01-01", "1970-01-02"],
        })
        const body = (yield* (yield* admin.get("/api/exotel/timing/check?purpose=payment_reminder"))
          .json) as {
          canCall: boolean
          reason: string
          nextAvailableTime: string
        }
        expect(body.canCall).toBe(false)
        expect(body.reason).toContain("Holiday")
        expect(body.reason).toBe("Holiday 1970-01-01 - calls not allowed")
        expect(body.nextAvailableTime).toBe("1970-01-03T00:00:00.000Z")
        const otp = (yield* (yield* admin.get("/api/exotel/timing/check?purpose=otp_verification"))
          .json) as Record<string, unknown>
        expect(otp.canCall).toBe(true)
        yield* put("/api/exotel/config/timing", { holidays: [] })
      }),
    )

    it.effect("rejects an unknown purpose on the check, naming it", () =>
      Effect.gen(function* () {
        const response = yield* (yield* asAdmin).get("/api/exotel/timing/check?purpose=lottery")
        expect(response.status).toBe(400)
        expect(((yield* response.json) as { message: string }).message).toContain("purpose: must be one of")
      }),
    )
  })

  describe("retry", () => {
    it.effect("keeps maxDelaySeconds at or above initialDelaySeconds", () =>
      Effect.gen(function* () {
        const response = yield* put("/api/exotel/config/retry", { initialDelaySeconds: 7200 })
        expect(response.status).toBe(400)
        expect(yield* response.json).toMatchObject({ field: "maxDelaySeconds" })
        const ok = yield* put("/api/exotel/config/retry", {
          initialDelaySeconds: 7200,
          maxDelaySeconds: 7200,
          maxAttempts: 5,
        })
        expect(yield* ok.json).toMatchObject({
          initialDelaySeconds: 7200,
          maxDelaySeconds: 7200,
          maxAttempts: 5,
        })
      }),
    )

    it.effect("rejects a fractional attempt count", () =>
      Effect.gen(function* () {
        const response = yield* put("/api/exotel/config/retry", { maxAttempts: 2.5 })
        expect(response.status).toBe(400)
        expect(((yield* response.json) as { message: string }).message).toContain(
          "maxAttempts: must be a whole number",
        )
      }),
    )
  })

  describe("features", () => {
    it.effect("switches one flag and leaves the others", () =>
      Effect.gen(function* () {
        const response = yield* put("/api/exotel/config/features/cqaEnabled", { enabled: false })
        expect(response.status).toBe(200)
        expect(yield* response.json).toMatchObject({ cqaEnabled: false, numberMaskingEnabled: true })
        const features = yield* (yield* (yield* asAdmin).get("/api/exotel/config/features")).json
        expect(features).toMatchObject({ cqaEnabled: false })
        yield* put("/api/exotel/config/features/cqaEnabled", { enabled: true })
      }),
    )

    it.effect("names an unknown feature and lists the known ones", () =>
      Effect.gen(function* () {
        const response = yield* put("/api/exotel/config/features/teleportEnabled", { enabled: true })
        expect(response.status).toBe(400)
        const body = (yield* response.json) as { message: string; field: string }
        expect(body.field).toBe("feature")
        expect(body.message).toContain('unknown feature "teleportEnabled"')
        expect(body.message).toContain("cqaEnabled")
      }),
    )
  })
})
