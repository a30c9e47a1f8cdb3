import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { keyFromSecret, makeSecretBox } from "../../src/config/SecretBox.js"

const boxUnder = (secret: string) => Effect.map(keyFromSecret(Redacted.make(secret)), makeSecretBox)

describe("SecretBox", () => {
  it.effect("opens what it sealed, and each seal is different", () =>
    Effect.gen(function* () {
      const box = yield* boxUnder("correct horse battery staple")
      const a = box.seal("exotel-token", "exotel-api-token")
      const b = box.seal("exotel-token", "exotel-api-token")
      expect(a).not.toBe(b)
      expect(a).not.toContain("exotel-token")
      expect(box.open(a, "exotel-api-token")).toEqual(Option.some("exotel-token"))
    }),
  )

  it.effect("refuses a ciphertext moved onto another setting", () =>
    Effect.gen(function* () {
      const box = yield* boxUnder("correct horse battery staple")
      const sealed = box.seal("exotel-token", "exotel-api-token")
      expect(box.open(sealed, "exotel-api-key")).toEqual(Option.none())
    }),
  )

  it.effect("refuses under another key and when tampered with", () =>
    Effect.gen(function* () {
      const box = yield* boxUnder("correct horse battery staple")
      const sealed = box.seal("exotel-token", "exotel-api-token")
      const other = yield* boxUnder("another key")
      expect(other.open(sealed, "exotel-api-token")).toEqual(Option.none())
      const [v, iv, tag, body] = sealed.split(":")
      const flipped = `${v}:${iv}:${tag}:${Buffer.from(Buffer.from(body ?? "", "base64").map((x) => x ^ 1)).toString("base64")}`
      expect(box.open(flipped, "exotel-api-token")).toEqual(Option.none())
      expect(box.open("not sealed", "exotel-api-token")).toEqual(Option.none())
    }),
  )

  it.effect("stretches the same secret to the same key, so sealed settings survive a restart", () =>
    Effect.gen(function* () {
      const sealed = (yield* boxUnder("correct horse battery staple")).seal(
        "exotel-token",
        "exotel-api-token",
      )
      const reopened = yield* boxUnder("correct horse battery staple")
      expect(reopened.open(sealed, "exotel-api-token")).toEqual(Option.some("exotel-token"))
    }),
  )

  it.effect(
    "authenticates with a key of its own per purpose, the same after a restart, another under another secret",
    () =>
      Effect.gen(function* () {
        const box = yield* boxUnder("correct horse battery staple")
        const tag = box.mac("Call:VC_1", "voice-stream")
        expect(tag).toHaveLength(32)
        expect((yield* boxUnder("correct horse battery staple")).mac("Call:VC_1", "voice-stream")).toEqual(
          tag,
        )
        expect(box.mac("Call:VC_1", "another-purpose")).not.toEqual(tag)
        expect(box.mac("Call:VC_2", "voice-stream")).not.toEqual(tag)
        expect((yield* boxUnder("another key")).mac("Call:VC_1", "voice-stream")).not.toEqual(tag)
      }),
  )
})
