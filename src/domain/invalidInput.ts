// A Schema decode failure as the 400 the HTTP layer would give: every problem as "field: message", and the
// first field named, so a library caller and an HTTP client read the same words.
import { Effect, ParseResult, Schema } from "effect"
import { BadRequest } from "./errors.js"

export const badRequestOf = (error: ParseResult.ParseError): BadRequest => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const field = (path: ReadonlyArray<PropertyKey>) => path.map(String).join(".")
  const first = issues[0]
  return new BadRequest({
    message: issues
      .map((i) => (i.path.length === 0 ? i.message : `${field(i.path)}: ${i.message}`))
      .join("; "),
    field: first === undefined || first.path.length === 0 ? undefined : field(first.path),
  })
}

/** A library caller's input, decoded with the Schema the HTTP layer decodes it with; a failure is that 400. */
export const decodeInput = <A, I>(schema: Schema.Schema<A, I>, input: I): Effect.Effect<A, BadRequest> =>
  Effect.mapError(Schema.decodeUnknown(schema)(input), badRequestOf)
