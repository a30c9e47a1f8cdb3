// What CQA listens for: the keyword list, the required lines per call purpose and the forbidden phrases, with
// the defaults used until an operator sets the system_settings keys below (JSON values).
import { Either, Option, Schema } from "effect"
import type { ComplianceRules } from "./phrases.js"

export const cqaSettingKeys = {
  keywords: "exotel-cqa-keywords",
  requiredPhrases: "exotel-cqa-required-phrases",
  forbiddenPhrases: "exotel-cqa-forbidden-phrases",
} as const

/** Purpose → line name → its accepted wordings; the "default" purpose applies to every call. */
const RequiredByPurpose = Schema.Record({
  key: Schema.String,
  value: Schema.Record({ key: Schema.String, value: Schema.Array(Schema.String) }),
})
type RequiredByPurpose = typeof RequiredByPurpose.Type

export interface CqaRules {
  readonly keywords: ReadonlyArray<string>
  readonly required: RequiredByPurpose
  readonly forbidden: ReadonlyArray<string>
}

export const defaultCqaRules: CqaRules = {
  keywords: [
    "refund",
    "cancel",
    "late",
    "complaint",
    "manager",
    "cold",
    "wrong order",
    "रिफंड",
    "शिकायत",
    "der",
  ],
  required: {
    default: {
      greeting: ["hello", "namaste", "नमस्ते", "good morning", "good afternoon", "good evening"],
      recording_notice: [
        "this call is recorded",
        "this call may be recorded",
        "this call is being recorded",
        "call record ki ja rahi hai",
        "कॉल रिकॉर्ड की जा रही है",
      ],
    },
  },
  forbidden: ["shut up", "stupid", "idiot", "bakwas mat karo"],
}

const decodeStrings = Schema.decodeUnknownEither(Schema.parseJson(Schema.Array(Schema.String)))
const decodeRequired = Schema.decodeUnknownEither(Schema.parseJson(RequiredByPurpose))

/**
 * The rules from the settings rows present (key → stored text). A value that does not parse is ignored in
 * favour of the default and reported, so a typo in one key never stops an analysis.
 */
export const rulesFromSettings = (
  rows: ReadonlyMap<string, string>,
): { readonly rules: CqaRules; readonly problems: ReadonlyArray<string> } => {
  const problems: Array<string> = []
  const read = <A>(key: string, decode: (s: string) => Either.Either<A, unknown>, fallback: A): A =>
    Option.match(Option.fromNullable(rows.get(key)), {
      onNone: () => fallback,
      onSome: (text) =>
        Either.getOrElse(decode(text), () => {
          problems.push(`setting ${key} is not valid JSON of the expected shape; the default is used`)
          return fallback
        }),
    })
  return {
    rules: {
      keywords: read(cqaSettingKeys.keywords, decodeStrings, defaultCqaRules.keywords),
      required: read(cqaSettingKeys.requiredPhrases, decodeRequired, defaultCqaRules.required),
      forbidden: read(cqaSettingKeys.forbiddenPhrases, decodeStrings, defaultCqaRules.forbidden),
    },
    problems,
  }
}

/** The default lines, then the purpose's own (a purpose may reword a default line by naming it again). */
export const complianceRulesFor = (rules: CqaRules, purpose: string | null): ComplianceRules => {
  const lines = {
    ...(rules.required.default ?? {}),
    ...(purpose === null ? {} : (rules.required[purpose] ?? {})),
  }
  return {
    required: Object.entries(lines).map(([name, anyOf]) => ({ name, anyOf })),
    forbidden: rules.forbidden,
  }
}
