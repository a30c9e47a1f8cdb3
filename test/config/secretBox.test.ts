import { describe, expect, it } from "@effect/vitest"
import { Option, Redacted } from "effect"
import { keyFromSecret, makeSecretBox } from "../../src/config/SecretBox.js"

const box = makeSecretBox(keyFromSecret(Redacted.make("correct horse battery staple")))

describe("SecretBox", () => {
  it("opens what it sealed, and each seal is different", () => {
    const a = box.seal("exotel-token", "exotel-api-token")
    const b = box.seal("exotel-token", "exotel-api-token")
    expect(a).not.toBe(b)
    expect(a).not.toContain("exotel-token")
    expect(box.open(a, "exotel-api-token")).toEqual(Option.some("exotel-token"))
  })

  it("refuses a ciphertext moved onto another setting", () => {
    const sealed = box.seal("exotel-token", "exotel-api-token")
    expect(box.open(sealed, "exotel-api-key")).toEqual(Option.none())
  })

  it("refuses under another key and when tampered with", () => {
    const sealed = box.seal("exotel-token", "exotel-api-token")
    const other = makeSecretBox(keyFromSecret(Redacted.make("another key")))
    expect(other.open(sealed, "exotel-api-token")).toEqual(Option.none())
    const [v, iv, tag, body] = sealed.split(":")
    const flipped = `${v}:${iv}:${tag}:${Buffer.from(Buffer.from(body ?? "", "base64").map((x) => x ^ 1)).toString("base64")}`
    expect(box.open(flipped, "exotel-api-token")).toEqual(Option.none())
    expect(box.open("not sealed", "exotel-api-token")).toEqual(Option.none())
  })
})
