// The call scripts of the nine purposes, in the seed's shape, in Hindi and in English: the words per language
// (callScripts/), how long and how urgent a purpose's call is (the same in every language), and {placeholder}
// substitution.
import type { CallPurpose } from "./CallPurpose.js"
import { englishScripts } from "./callScripts/english.js"
import { hindiScripts } from "./callScripts/hindi.js"
import type { Language } from "./VoiceCall.js"

/** What a script says: written for reading, with {placeholders} for the call's values. */
export interface ScriptWords {
  readonly greeting: string
  readonly script: string
  readonly closingScript: string
}

export interface CallScript extends ScriptWords {
  /** Seconds. */
  readonly maxDuration: number
  /** 1 is the most urgent. */
  readonly priority: number
}

const purposeLimits: { readonly [P in CallPurpose]: Pick<CallScript, "maxDuration" | "priority"> } = {
  order_confirmation: { maxDuration: 120, priority: 2 },
  delivery_update: { maxDuration: 90, priority: 2 },
  payment_reminder: { maxDuration: 120, priority: 3 },
  promotional_offer: { maxDuration: 60, priority: 5 },
  feedback_request: { maxDuration: 90, priority: 4 },
  support_callback: { maxDuration: 600, priority: 2 },
  otp_verification: { maxDuration: 60, priority: 1 },
  abandoned_cart: { maxDuration: 60, priority: 5 },
  custom: { maxDuration: 120, priority: 3 },
}

const wordsIn: Record<Language, { readonly [P in CallPurpose]: ScriptWords }> = {
  en: englishScripts,
  hi: hindiScripts,
}

/** The purpose's script in the language, placeholders as written. */
export const callScript = (purpose: CallPurpose, language: Language): CallScript => ({
  ...wordsIn[language][purpose],
  ...purposeLimits[purpose],
})

const placeholder = /\{([A-Za-z0-9_]+)\}/g

/** The names of the `{placeholders}` in a text, each once, in order of first appearance. */
export const placeholdersOf = (text: string): ReadonlyArray<string> => [
  ...new Set(Array.from(text.matchAll(placeholder), (m) => m[1] ?? "")),
]

/** Fills `{name}` placeholders from the variables; a placeholder with no value is left as written. */
export const fillPlaceholders = (text: string, variables: Readonly<Record<string, string>>): string =>
  text.replace(placeholder, (whole, name: string) =>
    Object.hasOwn(variables, name) ? (variables[name] ?? whole) : whole,
  )

/** The script as GET /templates/:purpose answers it: the variables written in as given. */
export const renderCallScript = (
  purpose: CallPurpose,
  language: Language,
  variables: Readonly<Record<string, string>>,
): CallScript => {
  const script = callScript(purpose, language)
  return {
    ...script,
    greeting: fillPlaceholders(script.greeting, variables),
    script: fillPlaceholders(script.script, variables),
    closingScript: fillPlaceholders(script.closingScript, variables),
  }
}
