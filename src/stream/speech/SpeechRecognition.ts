// The speech-recognition port. DTMF is the input that always works; the built-in engine hears nothing, and an
// external engine (ASR_URL: POST raw PCM16LE, answer JSON {"text": …}) may turn a caller's words into text.
import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { Config, Context, Effect, Layer, Option, Schema } from "effect"
import type { SampleRate } from "../protocol.js"

export interface SpeechRecognitionShape {
  readonly transcribe: (pcm: Uint8Array, rate: SampleRate) => Effect.Effect<Option.Option<string>>
}

export class SpeechRecognition extends Context.Tag("SpeechRecognition")<
  SpeechRecognition,
  SpeechRecognitionShape
>() {}

export const SpeechRecognitionBuiltIn = Layer.succeed(SpeechRecognition, {
  transcribe: () => Effect.succeed(Option.none()),
})

const Transcript = Schema.Struct({ text: Schema.String })

export const speechRecognitionHttp = (url: string) =>
  Layer.effect(
    SpeechRecognition,
    Effect.map(HttpClient.HttpClient, (client) =>
      SpeechRecognition.of({
        transcribe: (pcm, rate) =>
          HttpClientRequest.post(url).pipe(
            HttpClientRequest.setUrlParam("sampleRate", String(rate)),
            HttpClientRequest.bodyUint8Array(pcm, "application/octet-stream"),
            client.execute,
            Effect.flatMap((r) => r.json),
            Effect.flatMap(Schema.decodeUnknown(Transcript)),
            Effect.map((t) => Option.some(t.text)),
            Effect.scoped,
            Effect.timeout("3 seconds"),
            Effect.catchAll(() => Effect.succeed(Option.none<string>())),
          ),
      }),
    ),
  ).pipe(Layer.provide(FetchHttpClient.layer))

export const SpeechRecognitionLive = Layer.unwrapEffect(
  Effect.map(Config.option(Config.string("ASR_URL")), (url) =>
    Option.match(
      Option.filter(url, (u) => u.trim().length > 0),
      {
        onNone: () => SpeechRecognitionBuiltIn,
        onSome: speechRecognitionHttp,
      },
    ),
  ).pipe(Effect.orDie),
)
