// Recorded prompts: an admin's WAV per prompt key and language, checked, resampled once to every stream rate,
// stored in PostgreSQL and kept in memory; and the TextToSpeech that plays a recording wherever its prompt's
// words are to be spoken in its language, and synthesizes the rest. A process loads the recordings at start and
// keeps its own uploads; it looks for other processes' uploads and removals every half minute.
import { Context, Data, Duration, Effect, Either, Layer, Option, Schedule, Stream } from "effect"
import type { RecordedPromptKey } from "../../domain/RecordedPrompt.js"
import type { Language } from "../../domain/VoiceCall.js"
import { type RecordedPrompt, RecordedPromptsRepo } from "../../store/RecordedPromptsRepo.js"
import type { SampleRate } from "../protocol.js"
import { resamplePcm } from "../resample.js"
import { readWav } from "../wav.js"
import { speechOf, TextToSpeech } from "./TextToSpeech.js"

export class RecordingRefused extends Data.TaggedError("RecordingRefused")<{ readonly message: string }> {}

export interface RecordingView {
  readonly key: RecordedPromptKey
  readonly language: Language
  readonly sourceRate: number
  readonly durationMs: number
  readonly uploadedAt: Date
}

export interface RecordedPromptsShape {
  readonly put: (
    key: RecordedPromptKey,
    language: Language,
    file: Uint8Array,
  ) => Effect.Effect<RecordingView, RecordingRefused>
  readonly list: Effect.Effect<ReadonlyArray<RecordingView>>
  /** Whether there was one to remove. */
  readonly remove: (key: RecordedPromptKey, language: Language) => Effect.Effect<boolean>
  readonly find: (key: RecordedPromptKey, language: Language, rate: SampleRate) => Option.Option<Uint8Array>
}

export class RecordedPrompts extends Context.Tag("RecordedPrompts")<
  RecordedPrompts,
  RecordedPromptsShape
>() {}

const viewOf = (p: RecordedPrompt): RecordingView => ({
  key: p.promptKey,
  language: p.language,
  sourceRate: p.sourceRate,
  durationMs: p.durationMs,
  uploadedAt: p.uploadedAt,
})

const pcmAt = (p: RecordedPrompt, rate: SampleRate) =>
  rate === 8000 ? p.pcm8000 : rate === 16000 ? p.pcm16000 : p.pcm24000

/** How often a process looks for recordings another process of a fleet uploaded or removed. */
export const recordingsRefresh = Duration.seconds(30)

export const RecordedPromptsLive = Layer.scoped(
  RecordedPrompts,
  Effect.gen(function* () {
    const repo = yield* RecordedPromptsRepo
    const held = new Map<string, RecordedPrompt>()
    const keyOf = (key: RecordedPromptKey, language: Language) => `${language}:${key}`
    const load = Effect.gen(function* () {
      const all = yield* repo.all
      held.clear()
      for (const p of all) held.set(keyOf(p.promptKey, p.language), p)
    })
    yield* load
    // Only the upload times are read each time; the audio only when one of them changed.
    const refresh = Effect.gen(function* () {
      const stamps = yield* repo.stamps
      const changed =
        stamps.length !== held.size ||
        stamps.some(
          (s) => held.get(keyOf(s.promptKey, s.language))?.uploadedAt.getTime() !== s.uploadedAt.getTime(),
        )
      if (changed) yield* load
    })
    yield* refresh.pipe(
      Effect.catchAllCause((cause) => Effect.logWarning("Recorded prompts could not be refreshed", cause)),
      Effect.repeat(Schedule.spaced(recordingsRefresh)),
      Effect.delay(recordingsRefresh),
      Effect.forkScoped,
    )
    return RecordedPrompts.of({
      put: (key, language, file) =>
        Effect.gen(function* () {
          const wav = readWav(file)
          if (Either.isLeft(wav)) return yield* new RecordingRefused({ message: wav.left })
          const { rate, pcm, seconds } = wav.right
          const [pcm8000, pcm16000, pcm24000] = yield* Effect.all([
            resamplePcm(pcm, rate, 8000),
            resamplePcm(pcm, rate, 16000),
            resamplePcm(pcm, rate, 24000),
          ])
          const saved = yield* repo.save({
            promptKey: key,
            language,
            sourceRate: rate,
            durationMs: Math.round(seconds * 1000),
            pcm8000,
            pcm16000,
            pcm24000,
          })
          held.set(keyOf(key, language), saved)
          return viewOf(saved)
        }),
      list: Effect.map(repo.all, (all) => all.map(viewOf)),
      remove: (key, language) =>
        Effect.tap(repo.remove(key, language), () => Effect.sync(() => held.delete(keyOf(key, language)))),
      find: (key, language, rate) =>
        Option.map(Option.fromNullable(held.get(keyOf(key, language))), (p) => pcmAt(p, rate)),
    })
  }),
)

/**
 * The TextToSpeech beneath, with recordings first: a prompt whose words are a recordable prompt's (`prompts`)
 * is played from its recording in that language when there is one.
 */
export const withRecordedPrompts = (
  prompts: ReadonlyArray<{
    readonly key: RecordedPromptKey
    readonly language: Language
    readonly text: string
  }>,
) =>
  Layer.effect(
    TextToSpeech,
    Effect.gen(function* () {
      const speech = yield* TextToSpeech
      const recorded = yield* RecordedPrompts
      const keyFor = new Map(prompts.map((p) => [`${p.language}:${p.text}`, p.key]))
      const recordingOf = (text: string, language: Language, rate: SampleRate) => {
        const key = keyFor.get(`${language}:${text}`)
        return key === undefined ? Option.none() : recorded.find(key, language, rate)
      }
      return TextToSpeech.of({
        synthesize: (text, language, rate) => {
          const recording = recordingOf(text, language, rate)
          return Option.isSome(recording)
            ? Effect.succeed(recording.value)
            : speech.synthesize(text, language, rate)
        },
        synthesizeSentences: (text, language, rate) => {
          const recording = recordingOf(text, language, rate)
          return Option.isSome(recording)
            ? Stream.make(recording.value)
            : speechOf(speech, text, language, rate)
        },
      })
    }),
  )
