// Recorded prompts: an admin's WAV per prompt key and language, played instead of synthesis.
// The request and response schemas; the endpoints are src/http/api/PromptsApi.ts.
import { Schema } from "effect"
import { RecordedPromptKey } from "../domain/RecordedPrompt.js"
import { Language } from "../domain/VoiceCall.js"

export const RecordingPath = Schema.Struct({ key: RecordedPromptKey, language: Language })

export const Recording = Schema.Struct({
  key: RecordedPromptKey,
  language: Language,
  /** The uploaded file's sample rate; it is played resampled to the stream's. */
  sourceRate: Schema.Number,
  durationMs: Schema.Number,
  uploadedAt: Schema.DateFromString,
}).annotations({ identifier: "RecordedPrompt" })

export const Recordings = Schema.Struct({
  prompts: Schema.Array(Recording),
  /** Every key that may be recorded, with the words a recording of it replaces, per language. */
  recordable: Schema.Array(
    Schema.Struct({ key: RecordedPromptKey, language: Language, text: Schema.String }),
  ),
}).annotations({ identifier: "RecordedPrompts" })
