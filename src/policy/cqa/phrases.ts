// Where in a call a phrase was said: keyword hits and compliance checks over a transcript's timed segments.
// Matching is on whole words, case-free, punctuation-free, in any script (Devanagari's vowel signs are kept).

export interface TranscriptSegment {
  readonly startSeconds: number
  readonly endSeconds: number
  readonly speaker: string | null
  readonly text: string
}

export interface PhraseHit {
  readonly phrase: string
  readonly segment: number
  readonly speaker: string | null
  /** The segment's span; `atSeconds` places the phrase inside it by its position in the text. */
  readonly startSeconds: number
  readonly endSeconds: number
  readonly atSeconds: number
}

export const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, " ")
    .trim()

/** Every place `phrase` is said, in call order. */
export const findPhrase = (segments: ReadonlyArray<TranscriptSegment>, phrase: string): Array<PhraseHit> => {
  const needle = ` ${normalise(phrase)} `
  if (needle.trim().length === 0) return []
  const hits: Array<PhraseHit> = []
  segments.forEach((segment, index) => {
    const haystack = ` ${normalise(segment.text)} `
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length - 1)) {
      const share = haystack.length <= 2 ? 0 : at / (haystack.length - 2)
      hits.push({
        phrase,
        segment: index,
        speaker: segment.speaker,
        startSeconds: segment.startSeconds,
        endSeconds: segment.endSeconds,
        atSeconds:
          Math.round((segment.startSeconds + share * (segment.endSeconds - segment.startSeconds)) * 100) /
          100,
      })
    }
  })
  return hits
}

export interface KeywordHits {
  readonly keyword: string
  readonly count: number
  readonly hits: ReadonlyArray<PhraseHit>
}

export const keywordHits = (
  segments: ReadonlyArray<TranscriptSegment>,
  keywords: ReadonlyArray<string>,
): Array<KeywordHits> =>
  keywords
    .map((keyword) => {
      const hits = findPhrase(segments, keyword)
      return { keyword, count: hits.length, hits }
    })
    .filter((k) => k.count > 0)

/** A required line: said if any one of its wordings is. */
export interface RequiredPhrase {
  readonly name: string
  readonly anyOf: ReadonlyArray<string>
}

export interface ComplianceRules {
  readonly required: ReadonlyArray<RequiredPhrase>
  readonly forbidden: ReadonlyArray<string>
}

export interface RequiredCheck {
  readonly name: string
  readonly anyOf: ReadonlyArray<string>
  readonly said: boolean
  readonly firstHit: PhraseHit | null
}

export interface ComplianceReport {
  readonly passed: boolean
  readonly required: ReadonlyArray<RequiredCheck>
  /** The names of the required lines nobody said. */
  readonly missing: ReadonlyArray<string>
  readonly forbidden: ReadonlyArray<KeywordHits>
  /** One sentence per failure, naming the line or the phrase. */
  readonly violations: ReadonlyArray<string>
}

export const checkCompliance = (
  segments: ReadonlyArray<TranscriptSegment>,
  rules: ComplianceRules,
): ComplianceReport => {
  const required = rules.required.map((rule): RequiredCheck => {
    const hits = rule.anyOf.flatMap((p) => findPhrase(segments, p))
    const first = hits.reduce<PhraseHit | null>(
      (a, b) => (a === null || b.atSeconds < a.atSeconds ? b : a),
      null,
    )
    return { name: rule.name, anyOf: rule.anyOf, said: first !== null, firstHit: first }
  })
  const forbidden = keywordHits(segments, rules.forbidden)
  const missing = required.filter((r) => !r.said)
  const violations = [
    ...missing.map(
      (r) => `required phrase "${r.name}" was not said (any of: ${r.anyOf.map((p) => `"${p}"`).join(", ")})`,
    ),
    ...forbidden.map(
      (f) =>
        `forbidden phrase "${f.keyword}" was said ${f.count} time(s), first at ${f.hits[0]?.atSeconds ?? 0} s`,
    ),
  ]
  return {
    passed: violations.length === 0,
    required,
    missing: missing.map((r) => r.name),
    forbidden,
    violations,
  }
}
