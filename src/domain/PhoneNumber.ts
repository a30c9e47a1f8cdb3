// Phone numbers in E.164 ("+919876543210"). Indian numbers written without +91 — ten digits, a trunk 0, or
// 91 and ten digits — are accepted and normalised, since that is how vendors and riders are stored upstream.

import { Effect, ParseResult, Schema } from "effect"
import { parsePhoneNumberFromString } from "libphonenumber-js"

export const E164 = Schema.String.pipe(
  Schema.pattern(/^\+[1-9][0-9]{6,14}$/),
  Schema.brand("E164"),
).annotations({
  identifier: "E164",
})
export type E164 = typeof E164.Type

const describe = (input: string) =>
  `must be a phone number in E.164 form such as "+919876543210" (Indian numbers may omit +91), got ${JSON.stringify(input)}`

/** The normalised E.164 form, or undefined when the text is no valid phone number. */
export const normalisePhoneNumber = (input: string): E164 | undefined => {
  const trimmed = input.trim().replace(/[\s().-]/g, "")
  const candidate = /^91[6-9][0-9]{9}$/.test(trimmed) ? `+${trimmed}` : trimmed
  const parsed = parsePhoneNumberFromString(candidate, "IN")
  if (parsed === undefined || !parsed.isValid()) return undefined
  return E164.make(parsed.number)
}

/** Decodes any accepted spelling into E.164; encodes as E.164. */
export const PhoneNumber = Schema.transformOrFail(Schema.String, E164, {
  strict: true,
  decode: (input, _, ast) => {
    const normalised = normalisePhoneNumber(input)
    return normalised === undefined
      ? ParseResult.fail(new ParseResult.Type(ast, input, describe(input)))
      : ParseResult.succeed(normalised)
  },
  encode: (e164) => Effect.succeed(e164),
}).annotations({ identifier: "PhoneNumber", examples: [E164.make("+919876543210")] })
