// The live settings: read from system_settings, seeded from the environment, changed through the API, and
// in effect at once — every reader asks this service, never a copy taken at start. On a PostgreSQL server
// several gateways may share the table, so a change is announced with NOTIFY and every process re-reads it;
// an embedded database belongs to one process, which already holds what it wrote.
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Context, Effect, Layer, Option, Redacted, Schedule, Stream, SubscriptionRef } from "effect"
import type { FeatureName, Features } from "../domain/Features.js"
import type { RetryConfig } from "../domain/Retry.js"
import type { TimingConfig } from "../domain/Timing.js"
import { DatabaseInfo } from "../store/Database.js"
import { GatewayEnv, type GatewayEnvShape } from "./Env.js"
import { SecretBox } from "./SecretBox.js"
import {
  accountKeys,
  encodeSection,
  encodeValue,
  featureKeys,
  type GatewaySettings,
  retryKeys,
  secretKeys,
  settingsCategory,
  settingsFromRows,
  streamAuthKeys,
  timingKeys,
} from "./settingsCatalog.js"

export interface ExotelAccountPatch {
  readonly serviceUrl?: string | undefined
  readonly apiKey?: Redacted.Redacted | undefined
  readonly apiToken?: Redacted.Redacted | undefined
  readonly accountSid?: string | undefined
  readonly subdomain?: string | undefined
  readonly defaultExoPhone?: string | undefined
  readonly dltEntityId?: string | undefined
  readonly smsSenderId?: string | undefined
  readonly rateLimitPerMinute?: number | undefined
}

/** A change of the stream settings; `null` removes the credential. */
export interface StreamAuthPatch {
  readonly authKey?: Redacted.Redacted | null | undefined
  readonly authToken?: Redacted.Redacted | null | undefined
  readonly allowedSources?: ReadonlyArray<string> | undefined
  readonly inboundFlowsEnabled?: boolean | undefined
}

export interface SettingsShape {
  readonly current: Effect.Effect<GatewaySettings>
  readonly updateAccount: (patch: ExotelAccountPatch) => Effect.Effect<GatewaySettings>
  readonly updateTiming: (timing: TimingConfig) => Effect.Effect<GatewaySettings>
  readonly updateRetry: (retry: RetryConfig) => Effect.Effect<GatewaySettings>
  readonly setFeature: (feature: FeatureName, enabled: boolean) => Effect.Effect<Features>
  readonly updateStreamAuth: (patch: StreamAuthPatch) => Effect.Effect<GatewaySettings>
  /** Re-reads the table: other gateway processes sharing the database may have changed it. */
  readonly reload: Effect.Effect<GatewaySettings>
}

const changesChannel = "exotel_settings_changed"

export class Settings extends Context.Tag("Settings")<Settings, SettingsShape>() {}

interface SettingRow {
  readonly key: string
  readonly value: string
  readonly encrypted: boolean
}

const envSeeds = (env: GatewayEnvShape): Array<readonly [string, string]> => {
  const text = (key: string, value: Option.Option<string>) =>
    Option.match(value, { onNone: () => [], onSome: (v) => [[key, v] as const] })
  const secret = (key: string, value: Option.Option<Redacted.Redacted>) =>
    text(key, Option.map(value, Redacted.value))
  return [
    ...text(accountKeys.serviceUrl, env.exotelServiceUrl),
    ...secret(accountKeys.apiKey, env.exotelApiKey),
    ...secret(accountKeys.apiToken, env.exotelApiToken),
    ...text(accountKeys.accountSid, env.exotelAccountSid),
    ...text(accountKeys.subdomain, env.exotelSubdomain),
    ...text(accountKeys.defaultExoPhone, env.defaultExoPhone),
    ...text(accountKeys.dltEntityId, env.dltEntityId),
    ...secret(streamAuthKeys.authKey, env.streamAuthKey),
    ...secret(streamAuthKeys.authToken, env.streamAuthToken),
    ...text(streamAuthKeys.allowedSources, Option.map(env.streamAllowedSources, encodeValue)),
    ...text(accountKeys.smsSenderId, env.smsSenderId),
    ...text(accountKeys.rateLimitPerMinute, Option.map(env.rateLimitPerMinute, String)),
  ]
}

// A credential set to null is written empty, which reads back as unset.
const credentialText = (value: Redacted.Redacted | null | undefined) =>
  value === undefined ? undefined : value === null ? "" : Redacted.value(value)

const streamAuthEntries = (patch: StreamAuthPatch): Array<readonly [string, string]> =>
  (
    [
      [streamAuthKeys.authKey, credentialText(patch.authKey)],
      [streamAuthKeys.authToken, credentialText(patch.authToken)],
      [
        streamAuthKeys.allowedSources,
        patch.allowedSources === undefined ? undefined : encodeValue(patch.allowedSources),
      ],
      [
        streamAuthKeys.inboundFlowsEnabled,
        patch.inboundFlowsEnabled === undefined ? undefined : encodeValue(patch.inboundFlowsEnabled),
      ],
    ] as const
  ).flatMap(([key, value]) => (value === undefined ? [] : [[key, value] as const]))

export const SettingsLive = Layer.scoped(
  Settings,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const box = yield* SecretBox
    const env = yield* GatewayEnv
    const database = yield* DatabaseInfo
    const pg = yield* PgClient.PgClient

    const sealIfSecret = (key: string, value: string) =>
      secretKeys.has(key) ? { value: box.seal(value, key), encrypted: true } : { value, encrypted: false }

    const write = (entries: ReadonlyArray<readonly [string, string]>, onConflict: "replace" | "keep") =>
      entries.length === 0
        ? Effect.void
        : Effect.forEach(
            entries,
            ([key, plain]) => {
              const { value, encrypted } = sealIfSecret(key, plain)
              return onConflict === "replace"
                ? sql`INSERT INTO system_settings (key, value, category, encrypted, updated_at)
                      VALUES (${key}, ${value}, ${settingsCategory}, ${encrypted}, NOW())
                      ON CONFLICT (key) DO UPDATE
                      SET value = EXCLUDED.value, encrypted = EXCLUDED.encrypted, updated_at = NOW()`
                : sql`INSERT INTO system_settings (key, value, category, encrypted, updated_at)
                      VALUES (${key}, ${value}, ${settingsCategory}, ${encrypted}, NOW())
                      ON CONFLICT (key) DO NOTHING`
            },
            { discard: true },
          ).pipe(sql.withTransaction)

    const read = Effect.gen(function* () {
      const rows = yield* sql<SettingRow>`
        SELECT key, value, encrypted FROM system_settings WHERE category = ${settingsCategory}`
      const plain = new Map<string, string>()
      for (const row of rows) {
        if (!row.encrypted) {
          plain.set(row.key, row.value)
          continue
        }
        const opened = box.open(row.value, row.key)
        if (Option.isSome(opened)) plain.set(row.key, opened.value)
        else
          yield* Effect.logWarning("A sealed setting could not be opened with this secret key").pipe(
            Effect.annotateLogs({ setting: row.key }),
          )
      }
      const { settings, unreadable } = settingsFromRows(plain)
      if (unreadable.length > 0) {
        yield* Effect.logWarning("Unreadable settings fall back to their defaults").pipe(
          Effect.annotateLogs({ settings: unreadable }),
        )
      }
      return settings
    })

    yield* write(envSeeds(env), "keep").pipe(Effect.orDie)
    const ref = yield* SubscriptionRef.make(yield* Effect.orDie(read))

    const reload = read.pipe(
      Effect.tap((s) => SubscriptionRef.set(ref, s)),
      Effect.orDie,
    )
    // pg_notify rather than PgClient.notify, which sends a statement the server rejects (shared/STACK.md);
    // the payload must not be empty: PgClient.listen drops notifications without one.
    const announce = sql`SELECT pg_notify(${changesChannel}, 'changed')`.pipe(Effect.ignore)
    const writeAndReload = (entries: ReadonlyArray<readonly [string, string]>) =>
      write(entries, "replace").pipe(
        Effect.orDie,
        Effect.zipRight(reload),
        Effect.tap(() => (database.mode === "postgres" ? announce : Effect.void)),
      )

    if (database.mode === "postgres") {
      yield* pg.listen(changesChannel).pipe(
        Stream.runForEach(() => reload),
        Effect.tapErrorCause((cause) => Effect.logWarning("Settings change listener stopped", cause)),
        Effect.retry(Schedule.spaced("5 seconds")),
        Effect.forkScoped,
      )
    }

    const present = <A>(value: A | undefined): value is A => value !== undefined

    return Settings.of({
      current: SubscriptionRef.get(ref),
      reload,
      updateAccount: (patch) =>
        writeAndReload(
          (
            [
              [accountKeys.serviceUrl, patch.serviceUrl],
              [accountKeys.apiKey, patch.apiKey === undefined ? undefined : Redacted.value(patch.apiKey)],
              [
                accountKeys.apiToken,
                patch.apiToken === undefined ? undefined : Redacted.value(patch.apiToken),
              ],
              [accountKeys.accountSid, patch.accountSid],
              [accountKeys.subdomain, patch.subdomain],
              [accountKeys.defaultExoPhone, patch.defaultExoPhone],
              [accountKeys.dltEntityId, patch.dltEntityId],
              [accountKeys.smsSenderId, patch.smsSenderId],
              [
                accountKeys.rateLimitPerMinute,
                patch.rateLimitPerMinute === undefined ? undefined : String(patch.rateLimitPerMinute),
              ],
            ] as const
          ).flatMap(([key, value]) => (present(value) ? [[key, value] as const] : [])),
        ),
      updateTiming: (timing) => writeAndReload(encodeSection(timingKeys, timing)),
      updateRetry: (retry) => writeAndReload(encodeSection(retryKeys, retry)),
      updateStreamAuth: (patch) => writeAndReload(streamAuthEntries(patch)),
      setFeature: (feature, enabled) =>
        writeAndReload(encodeSection(featureKeys, { [feature]: enabled })).pipe(
          Effect.map((s) => s.features),
        ),
    })
  }),
)
