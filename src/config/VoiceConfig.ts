// Settings of the voice-call features read from the environment: the Nerve callback secret, the webhook URLs
// domain events are delivered to, how long a silent stream is kept, how many messages a second one may send, and
// the flows a caller may barge in on by talking.
import { Config, Context, Effect, Layer, Option, Redacted } from "effect"
import { CallType } from "../domain/VoiceCall.js"

export interface VoiceConfigShape {
  /** NERVE_CALLBACK_SECRET: the HMAC-SHA256 key of POST /nerve/callback. Unset: callbacks are refused. */
  readonly callbackSecret: Option.Option<Redacted.Redacted>
  /** EVENT_WEBHOOK_URLS, comma-separated: every domain event is POSTed to each. */
  readonly webhookUrls: ReadonlyArray<string>
  /** STREAM_IDLE_SECONDS: a stream with no message for this long is closed. */
  readonly streamIdleSeconds: number
  /** STREAM_MESSAGES_PER_SECOND: past it a stream's media is dropped, then the stream closed (1008). */
  readonly streamMaxMessagesPerSecond: number
  /**
   * The flows (vendor_confirmation, voice_ordering, …) in which a caller who starts talking cuts the prompt off,
   * as a key does: their streams' inbound audio goes through a voice-activity detector. None by default.
   */
  readonly bargeInFlows: ReadonlyArray<string>
}

export class VoiceConfig extends Context.Tag("VoiceConfig")<VoiceConfig, VoiceConfigShape>() {}

/** The flows whose sessions answer a caller talking over a prompt. */
const bargeInCapable: ReadonlyArray<string> = [...CallType.literals, "voice_ordering"]

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
  bargeInFlows: Config.string("STREAM_BARGE_IN").pipe(
    Config.withDefault(""),
    Config.map((s) =>
      s
        .split(",")
        .map((f) => f.trim())
        .filter((f) => f.length > 0),
    ),
    Config.validate({
      message: `names flows among ${bargeInCapable.join(", ")}`,
      validation: (flows) => flows.every((f) => bargeInCapable.includes(f)),
    }),
  ),
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
  bargeInFlows: [],
  ...overrides,
})
