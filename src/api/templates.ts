// Call script templates for the nine purposes, with {variable} substitution from the query string.
// The request and response schemas; the endpoints are src/http/api/TemplatesApi.ts.
import { Schema } from "effect"

export const CallScript = Schema.Struct({
  greeting: Schema.String,
  script: Schema.String,
  closingScript: Schema.String,
  maxDuration: Schema.Number,
  priority: Schema.Number,
}).annotations({ identifier: "CallScript" })

/** The values the script's placeholders are filled with, by name. */
export const TemplateVariables = Schema.Record({ key: Schema.String, value: Schema.String })
