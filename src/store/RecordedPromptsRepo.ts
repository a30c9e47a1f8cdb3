// The recorded_prompts rows: one recording per prompt key and language, at each stream rate.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Schema } from "effect"
import { RecordedPromptKey } from "../domain/RecordedPrompt.js"
import { Language } from "../domain/VoiceCall.js"

export const RecordedPrompt = Schema.Struct({
  promptKey: RecordedPromptKey,
  language: Language,
  sourceRate: Schema.Number,
  durationMs: Schema.Number,
  pcm8000: Schema.Uint8ArrayFromSelf,
  pcm16000: Schema.Uint8ArrayFromSelf,
  pcm24000: Schema.Uint8ArrayFromSelf,
  uploadedAt: Schema.DateFromSelf,
})
export type RecordedPrompt = typeof RecordedPrompt.Type

const decodeRows = Schema.decodeUnknown(Schema.Array(RecordedPrompt))

const RecordingStamp = Schema.Struct({
  promptKey: RecordedPromptKey,
  language: Language,
  uploadedAt: Schema.DateFromSelf,
})
export type RecordingStamp = typeof RecordingStamp.Type

export class RecordedPromptsRepo extends Context.Tag("RecordedPromptsRepo")<
  RecordedPromptsRepo,
  {
    /** A second upload of the same key and language replaces the first. */
    readonly save: (prompt: Omit<RecordedPrompt, "uploadedAt">) => Effect.Effect<RecordedPrompt>
    readonly all: Effect.Effect<ReadonlyArray<RecordedPrompt>>
    /** When each recording was uploaded, without its audio: what a process compares with what it holds. */
    readonly stamps: Effect.Effect<ReadonlyArray<RecordingStamp>>
    /** Whether there was one to remove. */
    readonly remove: (key: RecordedPromptKey, language: Language) => Effect.Effect<boolean>
  }
>() {}

export const RecordedPromptsRepoLive = Layer.effect(
  RecordedPromptsRepo,
  Effect.map(SqlClient.SqlClient, (sql) =>
    RecordedPromptsRepo.of({
      save: (p) =>
        sql`
          INSERT INTO recorded_prompts
            (prompt_key, language, source_rate, duration_ms, pcm_8000, pcm_16000, pcm_24000)
          VALUES (${p.promptKey}, ${p.language}, ${p.sourceRate}, ${p.durationMs}, ${p.pcm8000}, ${p.pcm16000},
            ${p.pcm24000})
          ON CONFLICT (prompt_key, language) DO UPDATE SET source_rate = EXCLUDED.source_rate,
            duration_ms = EXCLUDED.duration_ms, pcm_8000 = EXCLUDED.pcm_8000, pcm_16000 = EXCLUDED.pcm_16000,
            pcm_24000 = EXCLUDED.pcm_24000, uploaded_at = NOW()
          RETURNING *`.pipe(
          Effect.flatMap(decodeRows),
          Effect.flatMap((rows) => Effect.fromNullable(rows[0])),
          Effect.orDie,
        ),
      all: sql`SELECT * FROM recorded_prompts ORDER BY prompt_key, language`.pipe(
        Effect.flatMap(decodeRows),
        Effect.orDie,
      ),
      stamps: sql`SELECT prompt_key, language, uploaded_at FROM recorded_prompts`.pipe(
        Effect.flatMap(Schema.decodeUnknown(Schema.Array(RecordingStamp))),
        Effect.orDie,
      ),
      remove: (key, language) =>
        sql`DELETE FROM recorded_prompts WHERE prompt_key = ${key} AND language = ${language} RETURNING prompt_key`.pipe(
          Effect.map((rows) => rows.length > 0),
          Effect.orDie,
        ),
    }),
  ),
)
