import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestGatewayLive } from "../support/testGateway.js"
import { post } from "../support/upstream.js"

const dal = { name: "Dal Makhani", quantity: 2, price: 150 }
const roti = { name: "Roti", quantity: 4, price: 12.5 }

const start = (sessionId: string, body: Record<string, unknown> = {}) =>
  post("/voice-ordering", {
    phone: "+919123456789",
    action: "start",
    orderData: { items: [dal], total: 300 },
    sessionId,
    ...body,
  })

layer(TestGatewayLive(), { timeout: 60_000, excludeTestServices: true })("POST /voice-ordering", (it) => {
  it.effect("start, modify, confirm: the gateway's total each time; a second confirm is 409", () =>
    Effect.gen(function* () {
      expect(yield* start("http_1")).toMatchObject({
        status: 200,
        body: { sessionId: "http_1", status: "draft", total: 300, version: 1, phone: "+919123456789" },
      })
      const modified = yield* post("/voice-ordering", {
        action: "modify",
        sessionId: "http_1",
        orderData: { items: [dal, roti] },
      })
      expect(modified).toMatchObject({ status: 200, body: { status: "draft", total: 350, version: 2 } })
      const confirmed = yield* post("/voice-ordering", {
        action: "confirm",
        sessionId: "http_1",
        orderData: { total: 350 },
      })
      expect(confirmed).toMatchObject({ status: 200, body: { status: "placed", total: 350, version: 3 } })
      const again = yield* post("/voice-ordering", { action: "confirm", sessionId: "http_1" })
      expect(again.status).toBe(409)
      expect(String(again.body.message)).toMatch(/already confirmed/)
      const modifyAfter = yield* post("/voice-ordering", {
        action: "modify",
        sessionId: "http_1",
        orderData: { items: [dal] },
      })
      expect(modifyAfter.status).toBe(409)
    }),
  )

  it.effect("a client total that disagrees with the items is 422 naming orderData.total", () =>
    Effect.gen(function* () {
      const wrong = yield* start("http_2", { orderData: { items: [dal], total: 299 } })
      expect(wrong).toMatchObject({ status: 422, body: { field: "orderData.total" } })
      expect(String(wrong.body.message)).toMatch(/come to 300/)
      yield* start("http_2")
      const confirmWrong = yield* post("/voice-ordering", {
        action: "confirm",
        sessionId: "http_2",
        orderData: { total: 1 },
      })
      expect(confirmWrong).toMatchObject({ status: 422, body: { field: "orderData.total" } })
      const confirmOtherItems = yield* post("/voice-ordering", {
        action: "confirm",
        sessionId: "http_2",
        orderData: { items: [roti] },
      })
      expect(confirmOtherItems).toMatchObject({ status: 422, body: { field: "orderData.items" } })
    }),
  )

  it.effect("cancel; then nothing more is possible; unknown sessions are 404; a start twice is 409", () =>
    Effect.gen(function* () {
      yield* start("http_3")
      expect(yield* post("/voice-ordering", { action: "cancel", sessionId: "http_3" })).toMatchObject({
        status: 200,
        body: { status: "cancelled" },
      })
      expect((yield* post("/voice-ordering", { action: "confirm", sessionId: "http_3" })).status).toBe(409)
      expect((yield* post("/voice-ordering", { action: "cancel", sessionId: "http_3" })).status).toBe(409)
      expect((yield* post("/voice-ordering", { action: "confirm", sessionId: "nobody" })).status).toBe(404)
      expect((yield* start("http_3")).status).toBe(409)
    }),
  )

  it.effect("a start without a sessionId gets one made up", () =>
    Effect.gen(function* () {
      const answer = yield* post("/voice-ordering", {
        phone: "9123456789",
        action: "start",
        orderData: { items: [roti] },
      })
      expect(answer).toMatchObject({ status: 200, body: { phone: "+919123456789", total: 50 } })
      expect(String(answer.body.sessionId)).toMatch(/^vo_[0-9a-z]+$/)
    }),
  )

  describe("bad input is a 400 naming the field", () => {
    const cases: ReadonlyArray<[string, Record<string, unknown>, string]> = [
      ["phone", { phone: "12" }, "phone"],
      ["action", { action: "reorder" }, "action"],
      ["sessionId", { sessionId: "has spaces" }, "sessionId"],
      ["orderData", { orderData: "lots" }, "orderData"],
      ["no items", { orderData: { items: [] } }, "orderData.items"],
      ["item name", { orderData: { items: [{ ...dal, name: " " }] } }, "orderData.items.0.name"],
      ["item quantity", { orderData: { items: [{ ...dal, quantity: 1.5 }] } }, "orderData.items.0.quantity"],
      ["zero quantity", { orderData: { items: [{ ...dal, quantity: 0 }] } }, "orderData.items.0.quantity"],
      ["item price", { orderData: { items: [{ ...dal, price: -1 }] } }, "orderData.items.0.price"],
      [
        "price in fractions of a paisa",
        { orderData: { items: [{ ...dal, price: 1.005 }] } },
        "orderData.items.0.price",
      ],
      ["total", { orderData: { items: [dal], total: "300" } }, "orderData.total"],
    ]
    for (const [what, body, field] of cases) {
      it.effect(what, () =>
        Effect.gen(function* () {
          const answer = yield* start(`bad_${field}`, body)
          expect(answer.status).toBe(400)
          expect(answer.body.field).toBe(field)
        }),
      )
    }

    it.effect("what an action needs: phone and items to start, a sessionId afterwards", () =>
      Effect.gen(function* () {
        const noPhone = yield* post("/voice-ordering", { action: "start", orderData: { items: [dal] } })
        expect(noPhone).toMatchObject({ status: 400, body: { field: "phone" } })
        const noItems = yield* post("/voice-ordering", { action: "start", phone: "+919123456789" })
        expect(noItems).toMatchObject({ status: 400, body: { field: "orderData.items" } })
        const noSession = yield* post("/voice-ordering", { action: "confirm" })
        expect(noSession).toMatchObject({ status: 400, body: { field: "sessionId" } })
        const modifyEmpty = yield* post("/voice-ordering", { action: "modify", sessionId: "x" })
        expect(modifyEmpty).toMatchObject({ status: 400, body: { field: "orderData.items" } })
      }),
    )
  })
})
