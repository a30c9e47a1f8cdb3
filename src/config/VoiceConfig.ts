// Settings of the voice-call features read from the environment: the Nerve callback secret, the webhook URLs
// domain events are delivered to, how long a silent stream is kept, and how many messages a second one may send.
import { Config, Context, Effect, Layer, Option, Redacted } from "effect"

export interface VoiceConfigShape {
  /** NERVE_CALLBACK_SECRET: the HMAC-SHA256 key of POST /nerve/callback. Unset: callbacks are refused. */
  readonly callbackSecret: Option.Option<Redacted.Redacted>
  /** EVENT_WEBHOOK_URLS, comma-separated: every domain event is POSTed to each. */
  readonly webhookUrls: ReadonlyArray<string>
  /** STREAM_IDLE_SECONDS: a stream with no message for this long is closed. */
  readonly streamIdleSeconds: number
  /** STREAM_MESSAGES_PER_SECOND: past it a stream's media is dropped, then the stream closed (1008). */
  readonly streamMaxMessagesPerSecond: number
}

export class VoiceConfig extends Context.Tag("VoiceConfig")<VoiceConfig, VoiceConfigShape>() {}

export const voiceConfig = Config.all({
  callbackSecret: Config.redacted("NERVE_CALLBACK_SECRET").pipe(
    Config.option,
    Config.map(Option.filter((r) => Redacted.value(r).length > 0)),
  ),
  webhookUrls: Config.string("EVENT_WEBHOOK_URLS").pipe(
    Config.withDefault(""),
    Config.map((s) =>
      s
        .split(",")
        .map((u) => u.trim())
        .filter((u) => u.length > 0),
    ),
  ),
  streamIdleSeconds: Config.integer("STREAM_IDLE_SECONDS").pipe(Config.withDefault(15)),
  streamMaxMessagesPerSecond: Config.integer("STREAM_MESSAGES_PER_SECOND").pipe(
    Config.validate({ message: "must be between 10 and 100000", validation: (n) => n >= 10 && n <= 100_000 }),
    Config.withDefault(100),
  ),
})

export const VoiceConfigLive = Layer.effect(VoiceConfig, Effect.orDie(voiceConfig))

export const makeVoiceConfig = (overrides: Partial<VoiceConfigShape> = {}): VoiceConfigShape => ({
  callbackSecret: Option.none(),
  webhookUrls: [],
  streamIdleSeconds: 15,
  streamMaxMessagesPerSecond: 100,
  ...overrides,
})
