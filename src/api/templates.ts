// Call script templates for the nine purposes, in Hindi or English, with {variable} substitution from the query
// string. The request and response schemas; the endpoints are src/http/api/TemplatesApi.ts.
import { Schema } from "effect"
import { Language } from "../domain/VoiceCall.js"

/** The seed's script shape, and the language it is written in. */
export const CallScript = Schema.Struct({
  greeting: Schema.String,
  script: Schema.String,
  closingScript: Schema.String,
  maxDuration: Schema.Number,
  priority: Schema.Number,
  language: Language,
}).annotations({ identifier: "CallScript" })

/** `language` ("hi" or "en", the default), and the values the script's placeholders are filled with, by name. */
export const TemplateQuery = Schema.Struct(
  { language: Schema.optional(Language) },
  Schema.Record({ key: Schema.String, value: Schema.String }),
)
