import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestCoreLive } from "../support/testGateway.js"

interface Column {
  readonly columnName: string
  readonly dataType: string
  readonly isNullable: string
  readonly columnDefault: string | null
  readonly characterMaximumLength: number | null
}

layer(TestCoreLive(), { timeout: 60_000 })("migrations", (it) => {
  it.effect("create the seed's voice_calls table exactly as the seed gives it", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const columns = yield* sql<Column>`
        SELECT column_name, data_type, is_nullable, column_default, character_maximum_length
        FROM information_schema.columns WHERE table_name = 'voice_calls' ORDER BY ordinal_position`
      expect(columns.map((c) => [c.columnName, c.dataType, c.characterMaximumLength, c.isNullable])).toEqual([
        ["id", "character varying", 255, "NO"],
        ["call_type", "character varying", 50, "NO"],
        ["status", "character varying", 50, "NO"],
        ["order_id", "integer", null, "YES"],
        ["vendor_id", "integer", null, "YES"],
        ["rider_id", "integer", null, "YES"],
        ["phone_number", "character varying", 20, "NO"],
        ["recipient_name", "character varying", 255, "YES"],
        ["call_sid", "character varying", 255, "YES"],
        ["dtmf_digits", "character varying", 10, "YES"],
        ["prep_time_minutes", "integer", null, "YES"],
        ["rejection_reason", "character varying", 100, "YES"],
        ["recording_url", "text", null, "YES"],
        ["language", "character varying", 10, "YES"],
        ["attempt_number", "integer", null, "YES"],
        ["max_attempts", "integer", null, "YES"],
        ["initiated_at", "timestamp without time zone", null, "YES"],
        ["answered_at", "timestamp without time zone", null, "YES"],
        ["ended_at", "timestamp without time zone", null, "YES"],
        ["duration_seconds", "integer", null, "YES"],
        ["metadata", "jsonb", null, "YES"],
        ["created_at", "timestamp without time zone", null, "YES"],
        ["updated_at", "timestamp without time zone", null, "YES"],
      ])
      const defaults = Object.fromEntries(columns.map((c) => [c.columnName, c.columnDefault]))
      expect(defaults.language).toContain("'hi'")
      expect(defaults.attempt_number).toBe("1")
      expect(defaults.max_attempts).toBe("3")
      expect(defaults.initiated_at).toMatch(/now\(\)/)
    }),
  )

  it.effect("create system_settings with key, value, category, encrypted flag and updated_at", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const columns = yield* sql<Column>`
        SELECT column_name, data_type, is_nullable, column_default, character_maximum_length
        FROM information_schema.columns WHERE table_name = 'system_settings' ORDER BY ordinal_position`
      expect(columns.map((c) => c.columnName)).toEqual([
        "key",
        "value",
        "category",
        "encrypted",
        "updated_at",
      ])
    }),
  )
})
