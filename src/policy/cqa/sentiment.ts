// Sentiment of a transcript in English, Hindi or a mix of both: English by the `sentiment` package (AFINN-165
// with its own English negation), Hindi by our lexicon (hindiLexicon.ts) registered as a language of the same
// package, with Hindi's post-positive negation. The two scores add: a Hinglish sentence gets both.
import Sentiment from "sentiment"
import { hindiLexicon, hindiNegators } from "./hindiLexicon.js"

export type SentimentLabel = "positive" | "neutral" | "negative"

export interface SentimentScore {
  readonly label: SentimentLabel
  /** AFINN points summed over the text. */
  readonly score: number
  /** Score per token, so long and short calls compare. */
  readonly comparative: number
  /** Which lexicons found words: AFINN's English, our Hindi, both or neither. */
  readonly lexicons: ReadonlyArray<"afinn-165-en" | "hindi">
  readonly positiveWords: ReadonlyArray<string>
  readonly negativeWords: ReadonlyArray<string>
}

const engine = new Sentiment()

// The package keeps languages in a module-level table and adds emoji labels to whatever it is given: a copy
// keeps our lexicon clean, and registering again is harmless.
engine.registerLanguage("hi", {
  labels: { ...hindiLexicon },
  scoringStrategy: {
    apply: (tokens, cursor, score) => {
      const next = tokens[cursor + 1]
      const after = tokens[cursor + 2]
      const negated =
        (next !== undefined && hindiNegators.has(next)) ||
        (next === "hai" || next === "है" ? after !== undefined && hindiNegators.has(after) : false)
      return negated ? -score : score
    },
  },
})

/** Above +1 or below -1 AFINN point: a single "ok" does not make a call positive. */
const labelOf = (score: number): SentimentLabel =>
  score > 1 ? "positive" : score < -1 ? "negative" : "neutral"

export const sentimentOf = (text: string): SentimentScore => {
  const english = engine.analyze(text)
  const hindi = engine.analyze(text, { language: "hi" })
  // Emoji labels are in both tables: count them once, from the English pass.
  const hindiWords = hindi.words.filter((w) => w in hindiLexicon)
  const hindiScore = hindi.calculation.reduce((sum, entry) => {
    const [word, points] = Object.entries(entry)[0] ?? ["", 0]
    return word in hindiLexicon ? sum + points : sum
  }, 0)
  const score = english.score + hindiScore
  const tokens = english.tokens.filter((t) => t.length > 0).length
  return {
    label: labelOf(score),
    score,
    comparative: tokens === 0 ? 0 : Math.round((score / tokens) * 1000) / 1000,
    lexicons: [
      ...(english.words.length > 0 ? ["afinn-165-en" as const] : []),
      ...(hindiWords.length > 0 ? ["hindi" as const] : []),
    ],
    positiveWords: [...english.positive, ...hindi.positive.filter((w) => w in hindiLexicon)],
    negativeWords: [...english.negative, ...hindi.negative.filter((w) => w in hindiLexicon)],
  }
}
