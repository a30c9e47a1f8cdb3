// Any JSON value: the fields the gateway keeps and hands back as the client gave them (a contact's metadata, a
// scheduled call's context). Named, so the OpenAPI document defines it once and refers to it: an unnamed
// Schema.Unknown becomes a JSON Schema with the `$id` "/schemas/unknown" at each use, and a document that
// defines one `$id` twice is invalid.
import { Schema } from "effect"

export const JsonValue = Schema.Unknown.annotations({
  identifier: "JsonValue",
  description: "Any JSON value",
})

/** A JSON object with any values. */
export const JsonObject = Schema.Record({ key: Schema.String, value: JsonValue })
