import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { normalisePhoneNumber, PhoneNumber } from "../../src/domain/PhoneNumber.js"

describe("PhoneNumber", () => {
  it.each([
    ["+919876543210", "+919876543210"],
    ["9876543210", "+919876543210"],
    ["09876543210", "+919876543210"],
    ["919876543210", "+919876543210"],
    ["+91 98765-43210", "+919876543210"],
    ["+14155552671", "+14155552671"],
  ])("normalises %s to %s", (input, expected) => {
    expect(normalisePhoneNumber(input)).toBe(expected)
  })

  it.each(["", "12345", "abc", "+91123", "99999999999999999"])(
    "rejects %j with a message naming the form",
    (input) => {
      const result = Schema.decodeUnknownEither(PhoneNumber)(input)
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) expect(result.left.message).toContain("E.164")
    },
  )
})
