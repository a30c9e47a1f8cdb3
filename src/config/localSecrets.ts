// Secrets the gateway generates for itself when none is configured, kept in the data folder with mode 0600.
import { randomBytes } from "node:crypto"
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import path from "node:path"
import { Effect, Redacted } from "effect"

export interface LocalSecret {
  readonly value: Redacted.Redacted
  readonly path: string
  readonly created: boolean
}

export const readOrCreateLocalSecretFile = (dataDir: string, fileName: string, prefix = "") =>
  Effect.sync((): LocalSecret => {
    const file = path.join(dataDir, fileName)
    try {
      const existing = readFileSync(file, "utf8").trim()
      if (existing.length > 0) return { value: Redacted.make(existing), path: file, created: false }
    } catch {
      // absent: generated below
    }
    mkdirSync(dataDir, { recursive: true })
    const fresh = `${prefix}${randomBytes(32).toString("base64url")}`
    // wx: two processes starting together must not overwrite each other's secret.
    try {
      writeFileSync(file, `${fresh}\n`, { mode: 0o600, flag: "wx" })
    } catch {
      return { value: Redacted.make(readFileSync(file, "utf8").trim()), path: file, created: false }
    }
    chmodSync(file, 0o600)
    return { value: Redacted.make(fresh), path: file, created: true }
  })

export const readOrCreateLocalSecret = (dataDir: string, fileName: string) =>
  Effect.map(readOrCreateLocalSecretFile(dataDir, fileName), (s) => s.value)
