// What eSpeak NG is given for a prompt: its sentences, each with its voice and rate, as safe SSML. Pure.
//
// The engine reads its input as SSML, so a name or an address with "<" or "&" in it would be markup: every piece
// of text is escaped. A few words it says wrongly are respelled first (the lexicon). A prompt is split into
// sentences so each is spoken with the voice and rate set afresh (the engine keeps them as global state) and
// so a long prompt is cut where a listener expects a pause.
import type { Language } from "../../domain/VoiceCall.js"

export interface SpeechSentence {
  /** SSML-safe text. */
  readonly text: string
  /** An eSpeak NG voice id. */
  readonly voice: string
  /** Words per minute. */
  readonly rate: number
}

/** The engine's voice and pace per language: a little slower than its default, for a phone line. */
export const voices: Record<Language, { readonly voice: string; readonly rate: number }> = {
  en: { voice: "en", rate: 150 },
  hi: { voice: "hi", rate: 145 },
}

/**
 * Respellings, matched as whole words whatever their case: eSpeak's English rules read "Mangwale" as "mang-whale".
 * Applied in both languages, since a Hindi prompt speaks a Latin-script name with the English rules too.
 */
export const lexicon: ReadonlyArray<readonly [word: string, spoken: string]> = [["Mangwale", "Mung waa lay"]]

const lexiconPattern = new RegExp(`\\b(${lexicon.map(([word]) => word).join("|")})\\b`, "gi")
const spokenFor = new Map(lexicon.map(([word, spoken]) => [word.toLowerCase(), spoken]))

export const applyLexicon = (text: string) =>
  text.replace(lexiconPattern, (word) => spokenFor.get(word.toLowerCase()) ?? word)

const entities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
}

/** Text as SSML character data: markup characters escaped, control characters (but tab and newline) made spaces. */
export const escapeSsml = (text: string) =>
  text.replace(/[\p{Cc}&<>"']/gu, (c) => entities[c] ?? (c === "\t" || c === "\n" ? c : " "))

/** Ends of sentences: full stop, question and exclamation marks, the danda (।), each followed by space or the end. */
const sentenceEnd = /(?<=[.?!।])\s+/u

export const sentencesOf = (text: string, language: Language): ReadonlyArray<SpeechSentence> => {
  const { voice, rate } = voices[language]
  return applyLexicon(text)
    .split(sentenceEnd)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => ({ text: escapeSsml(s), voice, rate }))
}
