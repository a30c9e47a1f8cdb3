// Recorded prompts (issue 15): an admin's WAV per prompt key and language, kept as uploaded (mono PCM at its own
// rate) and resampled once to each stream rate, so a call plays it without work of its own.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE recorded_prompts (
      prompt_key VARCHAR(40) NOT NULL,
      language VARCHAR(5) NOT NULL,
      source_rate INTEGER NOT NULL,
      duration_ms INTEGER NOT NULL,
      pcm_8000 BYTEA NOT NULL,
      pcm_16000 BYTEA NOT NULL,
      pcm_24000 BYTEA NOT NULL,
      uploaded_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
      PRIMARY KEY (prompt_key, language)
    )`
})
