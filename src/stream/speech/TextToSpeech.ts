// The text-to-speech port and its engines: eSpeak NG on speech threads (the default, offline), an HTTP adapter
// chosen by TTS_URL, and tones (TTS_ENGINE=tones).
//
// The tones engine ships no voice: it renders a prompt as tones and logs the text it stands for. A keypad
// digit becomes that key's DTMF tone pair (the line test's read-back is exact and recognisable on any phone);
// other text becomes one short tone per word, so a listener hears the prompt's rhythm and length and the
// operator reads its words in the log line. It is also what an engine that fails falls back to.
import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { Config, Context, Effect, Fiber, Layer, Metric, MetricBoundaries, Option, Stream } from "effect"
import type { Language } from "../../domain/VoiceCall.js"
import { concatPcm, silence, tones, trimSilence } from "../audio.js"
import type { SampleRate } from "../protocol.js"
import { defaultSpeechThreads, makeEspeakPool } from "./EspeakPool.js"
import { type SpeechSentence, sentencesOf } from "./espeakText.js"
import { numberPieces, spokenPieces } from "./spokenPieces.js"

export interface TextToSpeechShape {
  /** PCM16LE mono at `rate`. Never fails: an engine that cannot speak falls back to the built-in tones. */
  readonly synthesize: (text: string, language: Language, rate: SampleRate) => Effect.Effect<Uint8Array>
  /**
   * The same PCM in pieces, each as soon as it exists, so the first sentence can play while the rest render.
   * Optional: an engine without it is asked for the whole prompt (`speechOf`).
   */
  readonly synthesizeSentences?: (
    text: string,
    language: Language,
    rate: SampleRate,
  ) => Stream.Stream<Uint8Array>
}

export class TextToSpeech extends Context.Tag("TextToSpeech")<TextToSpeech, TextToSpeechShape>() {}

/** A prompt's PCM as the engine can give it: piece by piece where it streams, else whole. */
export const speechOf = (tts: TextToSpeechShape, text: string, language: Language, rate: SampleRate) =>
  tts.synthesizeSentences?.(text, language, rate) ?? Stream.fromEffect(tts.synthesize(text, language, rate))

const dtmfTones: Record<string, readonly [number, number]> = {
  "1": [697, 1209],
  "2": [697, 1336],
  "3": [697, 1477],
  "4": [770, 1209],
  "5": [770, 1336],
  "6": [770, 1477],
  "7": [852, 1209],
  "8": [852, 1336],
  "9": [852, 1477],
  "*": [941, 1209],
  "0": [941, 1336],
  "#": [941, 1477],
}

const wordTone = (word: string) => {
  let h = 0
  for (const ch of word) h = (h * 31 + ch.charCodeAt(0)) % 997
  return 350 + (h % 450)
}

/** The built-in rendering, pure and deterministic. */
export const toneSpeech = (text: string, rate: SampleRate): Uint8Array => {
  const digit = /([0-9*#])\s*$/.exec(text.trim())
  const words = text.split(/\s+/).filter((w) => w.length > 0)
  if (words.length <= 3 && digit?.[1] !== undefined) {
    const pair = dtmfTones[digit[1]]
    if (pair !== undefined) return concatPcm([tones(pair, 200, rate)])
  }
  return concatPcm(words.slice(0, 40).flatMap((w) => [tones([wordTone(w)], 90, rate), silence(30, rate)]))
}

const builtIn = (): TextToSpeechShape => {
  const cache = new Map<string, Uint8Array>()
  return {
    synthesize: (text, language, rate) =>
      Effect.suspend(() => {
        const key = `${rate}:${text}`
        const hit = cache.get(key)
        if (hit !== undefined) return Effect.succeed(hit)
        const pcm = toneSpeech(text, rate)
        if (cache.size < 10_000) cache.set(key, pcm)
        return Effect.as(
          Effect.logDebug("Built-in speech: tones stand for this prompt").pipe(
            Effect.annotateLogs({ text, language }),
          ),
          pcm,
        )
      }),
  }
}

export const TextToSpeechTones = Layer.sync(TextToSpeech, builtIn)

/** A prompt that does not change from call to call, rendered once per sample rate and kept. */
export interface StaticPrompt {
  readonly text: string
  readonly language: Language
}

export interface EspeakOptions {
  readonly threads: number
  /** Rendered as soon as the threads are warm, at these rates; at other rates, when first asked for. */
  readonly staticPrompts: ReadonlyArray<StaticPrompt>
  readonly prerenderRates: ReadonlyArray<SampleRate>
}

// What a thread speaks before its first request: both voices, so neither language's first call is slow.
const warmUpText: Record<Language, string> = {
  en: "Hello. Your order of four hundred and fifty rupees is ready. Press one to accept.",
  hi: "नमस्ते। आपका चार सौ पचास रुपये का ऑर्डर तैयार है। स्वीकार करने के लिए एक दबाएँ।",
}

/** Prompts asked of the built-in engine, by where they came from: `cache`, `engine`, or `fallback` (tones). */
export const speechPrompts = Metric.counter("tts_prompts_total", {
  description: "Prompts asked of the built-in speech engine, by source (cache, engine, fallback)",
})
/**
 * Sentences of those prompts, by where they came from: `cache` (kept, static or recent) or `engine` (sent to a
 * speech thread). A prompt counts as `engine` if any of its sentences had to be spoken; this is the cache's own
 * hit rate.
 */
export const speechSentences = Metric.counter("tts_sentences_total", {
  description: "Sentences of prompts asked of the built-in speech engine, by source (cache, engine)",
})
const sentencesFromCache = Metric.tagged(speechSentences, "source", "cache")
const sentencesFromEngine = Metric.tagged(speechSentences, "source", "engine")
const seconds = MetricBoundaries.exponential({ start: 0.001, factor: 2, count: 14 })
export const speechQueueWait = Metric.histogram(
  "tts_queue_wait_seconds",
  seconds,
  "How long a prompt waited for a free speech thread",
)
export const speechSynthesis = Metric.histogram(
  "tts_synthesis_seconds_per_sentence",
  seconds,
  "A speech thread's time per sentence, synthesis and resampling",
)

/**
 * Sentences of dynamic prompts kept after they were spoken (a repeat, a retry, a fixed sentence), beside the
 * static ones: at about two seconds each, 32 KiB at 8 kHz, 96 KiB at 24 kHz, so at most 16 to 48 MiB.
 */
const recentCapacity = 512

/** Between the words of a joined number, and after a piece a comma or a colon followed. */
const shortGapMillis = 40
const longGapMillis = 160

/**
 * eSpeak NG (GPL-3.0) on a pool of speech threads. Static prompts are rendered once per language and sample rate
 * and kept; of any other text, only the sentences not already kept go to the pool, and the last ones spoken are
 * kept. If the engine fails, the call hears tones.
 */
export const textToSpeechEspeak = (options: EspeakOptions) =>
  Layer.scoped(
    TextToSpeech,
    Effect.gen(function* () {
      const pool = yield* makeEspeakPool({
        threads: options.threads,
        warmUp: [...sentencesOf(warmUpText.en, "en"), ...sentencesOf(warmUpText.hi, "hi")],
      })
      const fallback = builtIn()
      // Kept sentence by sentence, so a dynamic prompt's fixed sentences ("Press one to accept…") are rendered
      // once too and only its own words go to a thread. A static prompt's sentences are kept for good; others
      // stay while they are among the last few asked for.
      const keyOf = (sentence: string, language: Language, rate: SampleRate) =>
        `${language}:${rate}:${sentence}`
      // The number words a sentence is joined from (spokenPieces.ts) are kept for good, as static prompts are.
      const numberWordPrompts = (["hi", "en"] as const).flatMap((language) =>
        numberPieces(language).map((text) => ({ text, language })),
      )
      const pinned = [...options.staticPrompts, ...numberWordPrompts]
      const staticKeys = new Set(
        pinned.flatMap((p) =>
          sentencesOf(p.text, p.language).flatMap((s) =>
            ([8000, 16000, 24000] as const).map((rate) => keyOf(s.text, p.language, rate)),
          ),
        ),
      )
      const kept = new Map<string, Uint8Array>()
      const recent = new Map<string, Uint8Array>()
      const lookup = (key: string) => {
        const pinned = kept.get(key)
        if (pinned !== undefined) return pinned
        const hit = recent.get(key)
        // Moved to the newest end: the least recently used sentence is the one to go.
        if (hit !== undefined) recent.delete(key)
        if (hit !== undefined) recent.set(key, hit)
        return hit
      }
      const keep = (key: string, pcm: Uint8Array) => {
        if (staticKeys.has(key)) {
          kept.set(key, pcm)
          return
        }
        recent.set(key, pcm)
        const oldest = recent.keys().next()
        if (recent.size > recentCapacity && oldest.done !== true) recent.delete(oldest.value)
      }

      /**
       * A pinned prompt's sentences not yet kept, spoken and kept. Not a caller's prompt, so it counts in none of
       * the prompt metrics: those measure what calls asked for.
       */
      const prerender = (text: string, language: Language, rate: SampleRate) =>
        Effect.suspend(() => {
          const sentences = sentencesOf(text, language)
          const keys = sentences.map((s) => keyOf(s.text, language, rate))
          const absent = keys.filter((key) => lookup(key) === undefined)
          if (absent.length === 0) return Effect.void
          const missing = sentences.filter((_, i) => absent.includes(keys[i] ?? ""))
          return Effect.map(pool.speak(missing, rate), (spoken) => {
            for (const [i, sentence] of missing.entries())
              keep(keyOf(sentence.text, language, rate), spoken.parts[i] ?? new Uint8Array())
          })
        })

      const counted = (source: "cache" | "engine" | "fallback") =>
        Metric.increment(Metric.tagged(speechPrompts, "source", source))

      /** One sentence the cache does not hold, its own request to the pool; tones if the engine fails. */
      const speakOne = (sentence: SpeechSentence, key: string, language: Language, rate: SampleRate) =>
        pool.speak([sentence], rate).pipe(
          Effect.tap((spoken) =>
            Effect.zipRight(
              speechQueueWait(Effect.succeed(spoken.queueWaitMs / 1000)),
              speechSynthesis(Effect.succeed(spoken.synthesisMs / 1000)),
            ),
          ),
          Effect.map((spoken) => {
            const made = spoken.parts[0] ?? new Uint8Array()
            keep(key, made)
            return made
          }),
          Effect.catchAll((error) =>
            Effect.logWarning("eSpeak NG failed; speaking built-in tones").pipe(
              Effect.annotateLogs({ error: error.message, language }),
              Effect.zipRight(counted("fallback")),
              Effect.zipRight(fallback.synthesize(sentence.text, language, rate)),
            ),
          ),
        )

      // Every sentence not kept is asked for at once, each its own request, in order: the first plays as soon
      // as it is spoken (or at once, when kept) while the threads speak the rest. A prompt cut off ends its
      // stream, and the requests still queued with it.
      const synthesizeSentences: NonNullable<TextToSpeechShape["synthesizeSentences"]> = (
        text,
        language,
        rate,
      ) =>
        Stream.unwrapScoped(
          Effect.gen(function* () {
            const sentences = sentencesOf(text, language)
            let missing = 0
            const pieces = yield* Effect.forEach(sentences, (sentence) =>
              Effect.gen(function* () {
                const key = keyOf(sentence.text, language, rate)
                const known = lookup(key)
                if (known !== undefined) return Effect.succeed(known)
                const joined = spokenPieces(sentence.text, language)
                if (joined.length <= 1) {
                  missing++
                  return yield* Effect.map(
                    Effect.forkScoped(speakOne(sentence, key, language, rate)),
                    Fiber.join,
                  )
                }
                // Joined from its pieces, each kept or spoken on its own; the sentence itself is not kept, since
                // its pieces already are and joining them costs nothing.
                const pieceKeys = joined.map((piece) => keyOf(piece.text, language, rate))
                const kept = pieceKeys.map(lookup)
                if (kept.includes(undefined)) missing++
                const parts = yield* Effect.forEach(joined, (piece, i) => {
                  const known = kept[i]
                  if (known !== undefined) return Effect.succeed(Effect.succeed(known))
                  const asked = { text: piece.text, voice: sentence.voice, rate: sentence.rate }
                  return Effect.map(
                    Effect.forkScoped(speakOne(asked, pieceKeys[i] ?? "", language, rate)),
                    Fiber.join,
                  )
                })
                return Effect.map(Effect.all(parts), (pcm) =>
                  concatPcm(
                    pcm.flatMap((p, i) => [
                      trimSilence(p, rate),
                      silence(joined[i]?.pauseAfter === true ? longGapMillis : shortGapMillis, rate),
                    ]),
                  ),
                )
              }),
            )
            yield* Metric.incrementBy(sentencesFromCache, sentences.length - missing)
            yield* Metric.incrementBy(sentencesFromEngine, missing)
            yield* counted(missing === 0 ? "cache" : "engine")
            return Stream.fromIterable(pieces).pipe(Stream.mapEffect((piece) => piece))
          }),
        )

      // The whole prompt is its sentences end to end: the same pieces, cache and fallback as a call hears.
      const synthesize: TextToSpeechShape["synthesize"] = (text, language, rate) =>
        Stream.runCollect(synthesizeSentences(text, language, rate)).pipe(
          Effect.map((pieces) => concatPcm([...pieces])),
        )

      yield* pool.ready.pipe(
        Effect.tap((ms) => Effect.logInfo("Speech threads warm").pipe(Effect.annotateLogs({ warmUpMs: ms }))),
        Effect.zipRight(
          Effect.forEach(
            options.prerenderRates.flatMap((rate) => pinned.map((p) => ({ ...p, rate }))),
            (p) => prerender(p.text, p.language, p.rate),
            { concurrency: Math.max(1, options.threads), discard: true },
          ),
        ),
        Effect.catchAll((error) =>
          Effect.logWarning("eSpeak NG did not start; prompts will be tones").pipe(
            Effect.annotateLogs({ error: error.message }),
          ),
        ),
        Effect.forkScoped,
      )
      return TextToSpeech.of({ synthesize, synthesizeSentences })
    }),
  )

/**
 * An external engine: POST {text, language, sampleRate} as JSON to TTS_URL, expecting raw PCM16LE mono at
 * that rate in the body. A failure is logged and the built-in tones are spoken instead: the call goes on.
 */
export const textToSpeechHttp = (url: string) =>
  Layer.effect(
    TextToSpeech,
    Effect.gen(function* () {
      const client = yield* HttpClient.HttpClient
      const fallback = builtIn()
      return TextToSpeech.of({
        synthesize: (text, language, rate) =>
          HttpClientRequest.post(url).pipe(
            HttpClientRequest.bodyUnsafeJson({ text, language, sampleRate: rate }),
            client.execute,
            Effect.flatMap((r) =>
              r.status === 200 ? r.arrayBuffer : Effect.fail(new Error(`status ${r.status}`)),
            ),
            Effect.map((buffer) => new Uint8Array(buffer)),
            Effect.scoped,
            Effect.timeout("3 seconds"),
            Effect.catchAll((error) =>
              Effect.logWarning("External TTS failed; speaking built-in tones").pipe(
                Effect.annotateLogs({ url, error: String(error) }),
                Effect.zipRight(fallback.synthesize(text, language, rate)),
              ),
            ),
          ),
      })
    }),
  ).pipe(Layer.provide(FetchHttpClient.layer))

const engineConfig = Config.all({
  url: Config.option(Config.string("TTS_URL")),
  engine: Config.literal("espeak", "tones")("TTS_ENGINE").pipe(Config.withDefault("espeak" as const)),
  threads: Config.integer("TTS_THREADS").pipe(
    Config.validate({
      message: "TTS_THREADS is a count of threads, 1 to 16",
      validation: (n) => n >= 1 && n <= 16,
    }),
    Config.withDefault(defaultSpeechThreads()),
  ),
})

/**
 * TTS_URL set: the external engine. Otherwise TTS_ENGINE: eSpeak NG (`espeak`, the default) on TTS_THREADS
 * speech threads with these static prompts kept, or `tones`.
 */
export const textToSpeechLive = (staticPrompts: ReadonlyArray<StaticPrompt>) =>
  Layer.unwrapEffect(
    Effect.map(engineConfig, ({ url, engine, threads }) =>
      Option.match(
        Option.filter(url, (u) => u.trim().length > 0),
        {
          onNone: () =>
            engine === "tones"
              ? TextToSpeechTones
              : textToSpeechEspeak({ threads, staticPrompts, prerenderRates: [8000] }),
          onSome: textToSpeechHttp,
        },
      ),
    ).pipe(Effect.orDie),
  )
