// One call's quality analysis from its measured audio and its transcript: which parts run is the request's
// analysisType; the acoustic part always runs, since it needs nothing but the audio.
import type { AcousticMeasures } from "./acoustics.js"
import {
  type ComplianceReport,
  checkCompliance,
  type KeywordHits,
  keywordHits,
  type TranscriptSegment,
} from "./phrases.js"
import { type CqaRules, complianceRulesFor } from "./rules.js"
import { type SentimentScore, sentimentOf } from "./sentiment.js"

export const analysisTypes = ["sentiment", "keywords", "compliance", "full"] as const
export type AnalysisType = (typeof analysisTypes)[number]

export type TranscriptSource = "request" | "speech-recognition" | "none"

export interface Transcript {
  readonly source: TranscriptSource
  readonly segments: ReadonlyArray<TranscriptSegment>
}

export interface SentimentMoment {
  readonly segment: number
  readonly startSeconds: number
  readonly endSeconds: number
  readonly score: number
}

export interface SentimentAnalysis extends SentimentScore {
  /** The segments that scored negative on their own, where a supervisor would listen first. */
  readonly negativeMoments: ReadonlyArray<SentimentMoment>
}

export interface CallAnalysis {
  readonly analysisType: AnalysisType
  readonly acoustics: AcousticMeasures
  readonly transcript: { readonly source: TranscriptSource; readonly segmentCount: number }
  readonly sentiment: SentimentAnalysis | null
  readonly keywords: {
    readonly listenedFor: ReadonlyArray<string>
    readonly hits: ReadonlyArray<KeywordHits>
  } | null
  readonly compliance: (ComplianceReport & { readonly purpose: string | null }) | null
  /** Why a part is missing, or what was assumed. */
  readonly notes: ReadonlyArray<string>
}

const wants = (type: AnalysisType, part: Exclude<AnalysisType, "full">) => type === "full" || type === part

export const analyseCall = (input: {
  readonly analysisType: AnalysisType
  readonly acoustics: AcousticMeasures
  readonly transcript: Transcript
  readonly rules: CqaRules
  readonly purpose: string | null
  readonly notes: ReadonlyArray<string>
}): CallAnalysis => {
  const { analysisType: type, transcript } = input
  const heard = transcript.segments.length > 0
  const notes = [...input.notes]
  if (!heard && type !== "full")
    notes.push(`no transcript, so no ${type} analysis: only the acoustic measures`)
  if (!heard && type === "full") notes.push("no transcript, so no sentiment, keyword or compliance analysis")
  const sentiment = (): SentimentAnalysis => {
    const whole = sentimentOf(transcript.segments.map((s) => s.text).join("\n"))
    const negativeMoments = transcript.segments.flatMap((segment, index) => {
      const own = sentimentOf(segment.text)
      return own.label === "negative"
        ? [
            {
              segment: index,
              startSeconds: segment.startSeconds,
              endSeconds: segment.endSeconds,
              score: own.score,
            },
          ]
        : []
    })
    return { ...whole, negativeMoments }
  }
  return {
    analysisType: type,
    acoustics: input.acoustics,
    transcript: { source: transcript.source, segmentCount: transcript.segments.length },
    sentiment: heard && wants(type, "sentiment") ? sentiment() : null,
    keywords:
      heard && wants(type, "keywords")
        ? { listenedFor: input.rules.keywords, hits: keywordHits(transcript.segments, input.rules.keywords) }
        : null,
    compliance:
      heard && wants(type, "compliance")
        ? {
            purpose: input.purpose,
            ...checkCompliance(transcript.segments, complianceRulesFor(input.rules, input.purpose)),
          }
        : null,
    notes,
  }
}
