import { HttpClientRequest } from "@effect/platform"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { asAdmin, clientWith, TestGatewayLive } from "../support/testGateway.js"

const issueKey = (role: string, name = `${role} key`) =>
  Effect.gen(function* () {
    const admin = yield* asAdmin
    const response = yield* admin.execute(
      HttpClientRequest.post("/api/exotel/api-keys").pipe(HttpClientRequest.bodyUnsafeJson({ name, role })),
    )
    expect(response.status).toBe(201)
    return (yield* response.json) as { id: string; key: string; role: string; prefix: string }
  })

layer(TestGatewayLive(), { timeout: 60_000 })("bearer tokens and roles", (it) => {
  it.effect("answers 401 without a token and with a wrong one", () =>
    Effect.gen(function* () {
      const none = yield* (yield* clientWith(undefined)).get("/api/exotel/config/timing")
      expect(none.status).toBe(401)
      expect(yield* none.json).toMatchObject({
        _tag: "Unauthorized",
        message: expect.stringContaining("Bearer"),
      })
      const wrong = yield* (yield* clientWith("not-a-token")).get("/api/exotel/config/timing")
      expect(wrong.status).toBe(401)
    }),
  )

  it.effect("lets a viewer read but not change configuration (403 naming the role)", () =>
    Effect.gen(function* () {
      const viewer = yield* clientWith((yield* issueKey("viewer")).key)
      expect((yield* viewer.get("/api/exotel/config/timing")).status).toBe(200)
      const put = yield* viewer.execute(
        HttpClientRequest.put("/api/exotel/config/timing").pipe(
          HttpClientRequest.bodyUnsafeJson({ dndStart: "22:00" }),
        ),
      )
      expect(put.status).toBe(403)
      expect(yield* put.json).toMatchObject({ message: expect.stringContaining("admin role") })
      expect((yield* viewer.get("/api/exotel/config")).status).toBe(403)
    }),
  )

  it.effect("gives an operator everything a viewer may do", () =>
    Effect.gen(function* () {
      const operator = yield* clientWith((yield* issueKey("operator")).key)
      expect((yield* operator.get("/api/exotel/timing/check")).status).toBe(200)
      expect((yield* operator.get("/api/exotel/status")).status).toBe(200)
      expect((yield* operator.get("/api/exotel/api-keys")).status).toBe(403)
    }),
  )

  it.effect("shows a key once, lists it without the secret, and refuses it once revoked", () =>
    Effect.gen(function* () {
      const issued = yield* issueKey("viewer", "dashboard")
      expect(issued.key).toMatch(/^evg_viewer_/)
      const admin = yield* asAdmin
      const list = (yield* (yield* admin.get("/api/exotel/api-keys")).json) as {
        apiKeys: Array<Record<string, unknown>>
      }
      const listed = list.apiKeys.find((k) => k.id === issued.id)
      expect(listed).toMatchObject({ name: "dashboard", role: "viewer", revokedAt: null })
      expect(JSON.stringify(list)).not.toContain(issued.key)
      const revoke = yield* admin.execute(HttpClientRequest.del(`/api/exotel/api-keys/${issued.id}`))
      expect(revoke.status).toBe(204)
      expect((yield* (yield* clientWith(issued.key)).get("/api/exotel/config/timing")).status).toBe(401)
      const again = yield* admin.execute(HttpClientRequest.del(`/api/exotel/api-keys/${issued.id}`))
      expect(again.status).toBe(404)
    }),
  )

  it.effect("refuses to issue admin keys or keys without a name, naming the field", () =>
    Effect.gen(function* () {
      const admin = yield* asAdmin
      const response = yield* admin.execute(
        HttpClientRequest.post("/api/exotel/api-keys").pipe(
          HttpClientRequest.bodyUnsafeJson({ name: "", role: "admin" }),
        ),
      )
      expect(response.status).toBe(400)
      const body = (yield* response.json) as { message: string }
      expect(body.message).toContain("name:")
      expect(body.message).toContain("role:")
    }),
  )

  describe("the OpenAPI document", () => {
    it.effect("is open, and shows each endpoint's role", () =>
      Effect.gen(function* () {
        const response = yield* (yield* clientWith(undefined)).get("/api/docs/openapi.json")
        expect(response.status).toBe(200)
        const spec = (yield* response.json) as {
          paths: Record<string, Record<string, { "x-required-role"?: string; security?: unknown }>>
        }
        expect(spec.paths["/config"]?.put?.["x-required-role"]).toBe("admin")
        expect(spec.paths["/config/timing"]?.get?.["x-required-role"]).toBe("viewer")
        expect(spec.paths["/config/timing"]?.get?.security).toEqual([{ bearer: ["viewer"] }])
        expect(spec.paths["/health"]?.get?.["x-required-role"]).toBeUndefined()
      }),
    )

    it.effect("is rendered by Swagger UI at /api/docs", () =>
      Effect.gen(function* () {
        const response = yield* (yield* clientWith(undefined)).get("/api/docs")
        expect(response.status).toBe(200)
        expect(yield* response.text).toContain("swagger")
      }),
    )
  })
})
