// The seed's call quality analysis endpoints: analyse one call's recording, and the period's CQA dashboard.
// The request and response schemas; the endpoints are src/http/api/CqaApi.ts.
import { Schema } from "effect"
import { Period } from "../domain/periods.js"
import { analysisTypes } from "../policy/cqa/analysis.js"

const Seconds = Schema.Number.pipe(
  Schema.finite({ message: () => "must be a finite number of seconds" }),
  Schema.nonNegative({ message: () => "must be a number of seconds ≥ 0" }),
)

export const TranscriptSegmentInput = Schema.Struct({
  startSeconds: Seconds,
  endSeconds: Seconds,
  speaker: Schema.optionalWith(Schema.NullOr(Schema.String.pipe(Schema.maxLength(40))), {
    default: () => null,
  }),
  text: Schema.String.pipe(Schema.maxLength(5000, { message: () => "must be at most 5000 characters" })),
}).pipe(
  Schema.filter((s) =>
    s.endSeconds >= s.startSeconds
      ? undefined
      : { path: ["endSeconds"], message: "must not be before startSeconds" },
  ),
)

export const AnalyzeRequest = Schema.Struct({
  callSid: Schema.String.pipe(
    Schema.pattern(/^[A-Za-z0-9_.-]{1,64}$/, {
      message: () => "must be a call sid of 1 to 64 letters, digits, _ . or -",
    }),
  ),
  analysisType: Schema.Literal(...analysisTypes).annotations({
    message: (issue) => ({
      message: `must be one of ${analysisTypes.join(", ")}, got ${JSON.stringify(issue.actual)}`,
      override: true,
    }),
  }),
  /** Whose compliance rules apply; the call's own purpose when absent. */
  purpose: Schema.optional(
    Schema.String.pipe(
      Schema.pattern(/^[a-z_]{1,40}$/, { message: () => "must be a purpose such as order_confirmation" }),
    ),
  ),
  /** A transcript with time offsets, for calls no speech-recognition engine heard. */
  transcript: Schema.optional(
    Schema.Array(TranscriptSegmentInput).pipe(
      Schema.maxItems(2000, { message: () => "must have at most 2000 segments" }),
    ),
  ),
}).annotations({ identifier: "CqaAnalyzeRequest", parseOptions: { errors: "all" } })

const NullableNumber = Schema.NullOr(Schema.Number)

const ChannelMeasures = Schema.Struct({
  talkSeconds: Schema.Number,
  silenceSeconds: Schema.Number,
  longestSilenceSeconds: Schema.Number,
  rmsDbfs: NullableNumber,
  peakDbfs: NullableNumber,
  clippingRatio: Schema.Number,
  interruptions: NullableNumber,
})

const Acoustics = Schema.Struct({
  ...ChannelMeasures.fields,
  durationSeconds: Schema.Number,
  sampleRate: Schema.Number,
  channelCount: Schema.Number,
  vad: Schema.Struct({ frameMillis: Schema.Number, thresholdDbfs: Schema.Number }),
  talkSegments: Schema.Array(Schema.Struct({ startSeconds: Schema.Number, endSeconds: Schema.Number })),
  segmentsLeftOut: Schema.Number,
  overlapSeconds: NullableNumber,
  perChannel: Schema.Array(ChannelMeasures),
}).annotations({ identifier: "CqaAcoustics" })

const PhraseHit = Schema.Struct({
  phrase: Schema.String,
  segment: Schema.Number,
  speaker: Schema.NullOr(Schema.String),
  startSeconds: Schema.Number,
  endSeconds: Schema.Number,
  atSeconds: Schema.Number,
})

const KeywordHits = Schema.Struct({
  keyword: Schema.String,
  count: Schema.Number,
  hits: Schema.Array(PhraseHit),
})

const Sentiment = Schema.Struct({
  label: Schema.Literal("positive", "neutral", "negative"),
  score: Schema.Number,
  comparative: Schema.Number,
  lexicons: Schema.Array(Schema.Literal("afinn-165-en", "hindi")),
  positiveWords: Schema.Array(Schema.String),
  negativeWords: Schema.Array(Schema.String),
  negativeMoments: Schema.Array(
    Schema.Struct({
      segment: Schema.Number,
      startSeconds: Schema.Number,
      endSeconds: Schema.Number,
      score: Schema.Number,
    }),
  ),
})

const Compliance = Schema.Struct({
  purpose: Schema.NullOr(Schema.String),
  passed: Schema.Boolean,
  required: Schema.Array(
    Schema.Struct({
      name: Schema.String,
      anyOf: Schema.Array(Schema.String),
      said: Schema.Boolean,
      firstHit: Schema.NullOr(PhraseHit),
    }),
  ),
  missing: Schema.Array(Schema.String),
  forbidden: Schema.Array(KeywordHits),
  violations: Schema.Array(Schema.String),
})

export const CqaAnalysis = Schema.Struct({
  id: Schema.String,
  callSid: Schema.String,
  analysisType: Schema.Literal(...analysisTypes),
  audioSource: Schema.Literal("recording", "stream"),
  recordingUrl: Schema.NullOr(Schema.String),
  analyzedAt: Schema.String,
  acoustics: Acoustics,
  transcript: Schema.Struct({
    source: Schema.Literal("request", "speech-recognition", "none"),
    segmentCount: Schema.Number,
  }),
  sentiment: Schema.NullOr(Sentiment),
  keywords: Schema.NullOr(
    Schema.Struct({ listenedFor: Schema.Array(Schema.String), hits: Schema.Array(KeywordHits) }),
  ),
  compliance: Schema.NullOr(Compliance),
  notes: Schema.Array(Schema.String),
}).annotations({ identifier: "CqaAnalysis" })

const Counted = Schema.Array(Schema.Struct({ name: Schema.String, count: Schema.Number }))

export const CqaStats = Schema.Struct({
  period: Period,
  analyses: Schema.Number,
  callsAnalysed: Schema.Number,
  byType: Schema.Struct({
    sentiment: Schema.Number,
    keywords: Schema.Number,
    compliance: Schema.Number,
    full: Schema.Number,
  }),
  withTranscript: Schema.Number,
  acoustics: Schema.Struct({
    audioSeconds: Schema.Number,
    talkRatio: NullableNumber,
    averageLongestSilenceSeconds: NullableNumber,
    maxLongestSilenceSeconds: NullableNumber,
    averageClippingRatio: NullableNumber,
    averageRmsDbfs: NullableNumber,
    averageOverlapSeconds: NullableNumber,
    interruptions: Schema.Number,
  }),
  sentiment: Schema.Struct({
    positive: Schema.Number,
    neutral: Schema.Number,
    negative: Schema.Number,
    averageScore: NullableNumber,
  }),
  compliance: Schema.Struct({
    checked: Schema.Number,
    passed: Schema.Number,
    passRate: NullableNumber,
    mostMissed: Counted,
  }),
  keywords: Schema.Struct({ top: Counted }),
}).annotations({ identifier: "CqaStats" })

/** The period the statistics cover (7d when left out). */
export const CqaStatsQuery = Schema.Struct({
  period: Schema.optionalWith(Period, { default: () => "7d" as const }),
})
