// Bad bodies for the two Nerve starts: each gets a 400 that names the field, and no call is placed for it.
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option } from "effect"
import { TestGatewayLive } from "../support/testGateway.js"
import { ledger, post } from "../support/upstream.js"

const vendor = {
  orderId: 501,
  vendorId: 7,
  vendorPhone: "+919876500001",
  vendorName: "Sharma Dhaba",
  orderAmount: 450,
  itemCount: 3,
  language: "en",
}
const rider = {
  orderId: 502,
  riderId: 9,
  riderPhone: "+919876500002",
  riderName: "Ravi",
  vendorName: "Sharma Dhaba",
  vendorAddress: "12 MG Road",
  estimatedAmount: 60,
  language: "hi",
}

const refused = (path: string, body: Record<string, unknown>, field: string) =>
  Effect.gen(function* () {
    const answer = yield* post(path, body)
    expect(answer.status).toBe(400)
    expect(String(answer.body.message)).toContain(field)
  })

layer(TestGatewayLive({ defaultExoPhone: Option.some("08040000000") }), {
  timeout: 60_000,
  excludeTestServices: true,
})("Nerve start requests", (it) => {
  describe("POST /nerve/vendor/confirm", () => {
    for (const [field, value] of [
      ["orderAmount", -1],
      ["vendorName", "  "],
      ["itemCount", 0],
      ["orderId", 1.5],
      ["vendorPhone", "12"],
      ["language", "fr"],
    ] as const) {
      it.effect(`refuses ${field} = ${JSON.stringify(value)}`, () =>
        refused("/nerve/vendor/confirm", { ...vendor, [field]: value }, field),
      )
    }
  })

  describe("POST /nerve/rider/assign", () => {
    for (const [field, value] of [
      ["riderName", ""],
      ["vendorAddress", ""],
      ["estimatedAmount", -5],
      ["riderId", 0],
    ] as const) {
      it.effect(`refuses ${field} = ${JSON.stringify(value)}`, () =>
        refused("/nerve/rider/assign", { ...rider, [field]: value }, field),
      )
    }
  })

  it.effect("a well-formed vendor confirmation still goes out, a name with spaces around it included", () =>
    Effect.gen(function* () {
      const answer = yield* post("/nerve/vendor/confirm", { ...vendor, vendorName: "  Sharma Dhaba " })
      expect(answer.status).toBe(200)
      const calls = (yield* ledger).accepted("call").filter((e) => e.fields.From === vendor.vendorPhone)
      expect(calls).toHaveLength(1)
    }),
  )
})
