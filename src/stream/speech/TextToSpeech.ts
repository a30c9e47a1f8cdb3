// The text-to-speech port, its offline built-in engine, and an HTTP adapter chosen by TTS_URL.
//
// The built-in engine ships no voice: it renders a prompt as tones and logs the text it stands for. A keypad
// digit becomes that key's DTMF tone pair (the line test's read-back is exact and recognisable on any phone);
// other text becomes one short tone per word, so a listener hears the prompt's rhythm and length and the
// operator reads its words in the log line. It needs nothing installed and works on a fresh machine.
import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { Config, Context, Effect, Layer, Option } from "effect"
import type { Language } from "../../domain/VoiceCall.js"
import { concatPcm, silence, tones } from "../audio.js"
import type { SampleRate } from "../protocol.js"

export interface TextToSpeechShape {
  /** PCM16LE mono at `rate`. Never fails: an engine that cannot speak falls back to the built-in tones. */
  readonly synthesize: (text: string, language: Language, rate: SampleRate) => Effect.Effect<Uint8Array>
}

export class TextToSpeech extends Context.Tag("TextToSpeech")<TextToSpeech, TextToSpeechShape>() {}

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

export const TextToSpeechBuiltIn = Layer.sync(TextToSpeech, builtIn)

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

/** TTS_URL set: the external engine; unset: the built-in one. */
export const TextToSpeechLive = Layer.unwrapEffect(
  Effect.map(Config.option(Config.string("TTS_URL")), (url) =>
    Option.match(
      Option.filter(url, (u) => u.trim().length > 0),
      {
        onNone: () => TextToSpeechBuiltIn,
        onSome: textToSpeechHttp,
      },
    ),
  ).pipe(Effect.orDie),
)
