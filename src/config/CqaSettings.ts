// The CQA rules as configured now: read from system_settings on every analysis, so a change applies to the
// next call analysed without a restart.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer } from "effect"
import { type CqaRules, cqaSettingKeys, rulesFromSettings } from "../policy/cqa/rules.js"

export interface CqaSettingsShape {
  readonly current: Effect.Effect<{ readonly rules: CqaRules; readonly problems: ReadonlyArray<string> }>
}

export class CqaSettings extends Context.Tag("CqaSettings")<CqaSettings, CqaSettingsShape>() {}

export const CqaSettingsLive = Layer.effect(
  CqaSettings,
  Effect.map(SqlClient.SqlClient, (sql) =>
    CqaSettings.of({
      current: sql<{ key: string; value: string }>`
        SELECT key, value FROM system_settings WHERE key IN ${sql.in(Object.values(cqaSettingKeys))}`.pipe(
        Effect.map((rows) => rulesFromSettings(new Map(rows.map((r) => [r.key, r.value])))),
        Effect.orDie,
      ),
    }),
  ),
)
