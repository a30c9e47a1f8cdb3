// AES-256-GCM for secrets at rest. The setting's key is bound in as associated data, so a ciphertext copied
// onto another setting does not decrypt.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, scrypt } from "node:crypto"
import { Context, Effect, Layer, Option, Redacted } from "effect"
import { GatewayEnv } from "./Env.js"
import { readOrCreateLocalSecret } from "./localSecrets.js"

export interface SecretBoxShape {
  readonly seal: (plaintext: string, associatedData: string) => string
  readonly open: (sealed: string, associatedData: string) => Option.Option<string>
  /**
   * An HMAC-SHA256 of `message` under a key of its own for `purpose`, derived from this box's key: proves the
   * gateway made a value (a voice stream's credential, say) without sealing it or keeping it anywhere.
   */
  readonly mac: (message: string, purpose: string) => Buffer
}

export class SecretBox extends Context.Tag("SecretBox")<SecretBox, SecretBoxShape>() {}

const version = "v1"

/**
 * A key of any length or form (a passphrase, hex, base64) is stretched to the 32 bytes AES-256 takes. Scrypt is
 * meant to be slow (~80 ms); it runs on libuv's thread pool, so the gateway's own thread goes on starting.
 */
export const keyFromSecret = (secret: Redacted.Redacted) =>
  Effect.async<Buffer>((resume) =>
    scrypt(Redacted.value(secret), "exotel-voice-gateway:settings", 32, (error, key) =>
      resume(error === null ? Effect.succeed(key) : Effect.die(error)),
    ),
  )

export const makeSecretBox = (key: Buffer): SecretBoxShape => {
  const macKeys = new Map<string, Buffer>()
  const macKey = (purpose: string) => {
    let derived = macKeys.get(purpose)
    if (derived === undefined) {
      derived = Buffer.from(hkdfSync("sha256", key, "exotel-voice-gateway:mac", purpose, 32))
      macKeys.set(purpose, derived)
    }
    return derived
  }
  return {
    seal: (plaintext, associatedData) => {
      const iv = randomBytes(12)
      const cipher = createCipheriv("aes-256-gcm", key, iv)
      cipher.setAAD(Buffer.from(associatedData, "utf8"))
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
      return [
        version,
        iv.toString("base64"),
        cipher.getAuthTag().toString("base64"),
        body.toString("base64"),
      ].join(":")
    },
    open: (sealed, associatedData) => {
      const [v, iv, tag, body] = sealed.split(":")
      if (v !== version || iv === undefined || tag === undefined || body === undefined) return Option.none()
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"))
        decipher.setAAD(Buffer.from(associatedData, "utf8"))
        decipher.setAuthTag(Buffer.from(tag, "base64"))
        return Option.some(
          Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8"),
        )
      } catch {
        return Option.none()
      }
    },
    mac: (message, purpose) => createHmac("sha256", macKey(purpose)).update(message, "utf8").digest(),
  }
}

/** GATEWAY_SECRET_KEY, or a key generated once into DATA_DIR/secret.key (mode 0600). */
export const SecretBoxLive = Layer.effect(
  SecretBox,
  Effect.gen(function* () {
    const env = yield* GatewayEnv
    const secret = yield* Option.match(env.secretKey, {
      onSome: Effect.succeed,
      onNone: () => readOrCreateLocalSecret(env.dataDir, "secret.key"),
    })
    return makeSecretBox(yield* keyFromSecret(secret))
  }),
)
