// A sentence as the pieces a voice joins: runs of number words (an order id read digit by digit, an amount, a
// time in minutes) become one piece per word, drawn from a closed vocabulary rendered once; the words around
// them stay whole phrases, which repeat from call to call. So an offer with a new order number and amount needs
// no synthesis at all once its phrases have been heard, the way an IVR plays recorded digits. A lone number word
// ("Press one to accept") is left inside its phrase: splitting it would only make the sentence choppy. Pure.
import type { Language } from "../../domain/VoiceCall.js"
import { numberWords } from "../../policy/spokenNumbers.js"

export interface SpokenPiece {
  readonly text: string
  /** A number word of the closed vocabulary, rendered ahead and kept. */
  readonly numberWord: boolean
  /** The sentence had punctuation after it (a comma, a colon): a listener expects a longer gap. */
  readonly pauseAfter: boolean
}

const vocabulary: Record<Language, ReadonlySet<string>> = { en: numberWords("en"), hi: numberWords("hi") }

/** Punctuation at either end of a word or a phrase: spoken as the gap between pieces, never as a piece. */
const edgePunctuation = /^[\s,.:?!।]+|[\s,.:?!।]+$/gu

const bare = (word: string) => word.replace(edgePunctuation, "")

const endsPunctuated = (word: string | undefined) => word !== undefined && /[,.:;?!।]$/u.test(word)

/** Runs shorter than this stay inside their phrase. */
const shortestRun = 2

/**
 * The pieces of one sentence, in order; a sentence with no run of number words is one piece, itself. Every word
 * of the sentence is in exactly one piece, in order (the property tests hold it to that).
 */
export const spokenPieces = (sentence: string, language: Language): ReadonlyArray<SpokenPiece> => {
  const words = sentence.split(/\s+/).filter((w) => w.length > 0)
  const isNumber = words.map((w) => vocabulary[language].has(bare(w).toLowerCase()))
  const inRun = words.map(() => false)
  for (let i = 0; i < words.length; ) {
    let end = i
    // Punctuation ends a run: "number four zero seven: two items" is a number and then a phrase.
    while (end < words.length && isNumber[end]) if (endsPunctuated(words[end++])) break
    if (end - i >= shortestRun) for (let k = i; k < end; k++) inRun[k] = true
    i = Math.max(end, i + 1)
  }
  if (!inRun.includes(true)) return [{ text: sentence.trim(), numberWord: false, pauseAfter: false }]
  const pieces: Array<SpokenPiece> = []
  let phrase: Array<string> = []
  const endPhrase = () => {
    const text = phrase.join(" ").replace(edgePunctuation, "")
    if (text.length > 0) pieces.push({ text, numberWord: false, pauseAfter: endsPunctuated(phrase.at(-1)) })
    phrase = []
  }
  for (const [i, word] of words.entries()) {
    if (!inRun[i]) {
      phrase.push(word)
      continue
    }
    endPhrase()
    pieces.push({ text: bare(word).toLowerCase(), numberWord: true, pauseAfter: endsPunctuated(word) })
  }
  endPhrase()
  return pieces
}

/** The closed vocabulary of a language, each word a piece to render ahead. */
export const numberPieces = (language: Language): ReadonlyArray<string> => [...vocabulary[language]]
