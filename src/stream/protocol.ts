// The Exotel voice-stream (AgentStream / Voicebot) messages as Schemas: liberal on the way in, exact on the
// way out (exotel-protocol.md §1 and decision 1).
import { Either, type ParseResult, Schema } from "effect"

/** Exotel documents numbers as strings, its other pages and bots send numbers: take both. */
const Numeric = Schema.Union(Schema.Number, Schema.NumberFromString)

const Envelope = {
  sequence_number: Schema.optional(Numeric),
  stream_sid: Schema.optional(Schema.String),
}

export const Encoding = Schema.Literal("audio/x-raw", "raw", "linear16")

export const MediaFormat = Schema.Struct({
  encoding: Schema.optional(Encoding),
  sample_rate: Schema.optional(Numeric),
  bit_rate: Schema.optional(Numeric),
})

// Custom parameters come from the stream URL's query, but a hand-written flow may put numbers there.
const ParameterValue = Schema.Union(
  Schema.String,
  Schema.transform(Schema.Number, Schema.String, {
    strict: true,
    decode: (n) => String(n),
    encode: (s) => Number(s),
  }),
)

export const Connected = Schema.Struct({
  event: Schema.Literal("connected"),
  protocol: Schema.optional(Schema.String),
  version: Schema.optional(Schema.String),
})

export const Start = Schema.Struct({
  event: Schema.Literal("start"),
  ...Envelope,
  start: Schema.Struct({
    stream_sid: Schema.optional(Schema.String),
    call_sid: Schema.String,
    account_sid: Schema.optional(Schema.String),
    from: Schema.optional(Schema.String),
    to: Schema.optional(Schema.String),
    custom_parameters: Schema.optional(Schema.Record({ key: Schema.String, value: ParameterValue })),
    media_format: Schema.optional(MediaFormat),
  }),
})

export const Media = Schema.Struct({
  event: Schema.Literal("media"),
  ...Envelope,
  media: Schema.Struct({
    chunk: Schema.optional(Numeric),
    timestamp: Schema.optional(Numeric),
    payload: Schema.String,
  }),
})

export const Dtmf = Schema.Struct({
  event: Schema.Literal("dtmf"),
  ...Envelope,
  dtmf: Schema.Struct({ digit: Schema.String, duration: Schema.optional(Numeric) }),
})

export const Mark = Schema.Struct({
  event: Schema.Literal("mark"),
  ...Envelope,
  mark: Schema.Struct({ name: Schema.String }),
})

export const Stop = Schema.Struct({
  event: Schema.Literal("stop"),
  ...Envelope,
  stop: Schema.optional(
    Schema.Struct({
      call_sid: Schema.optional(Schema.String),
      account_sid: Schema.optional(Schema.String),
      reason: Schema.optional(Schema.String),
    }),
  ),
})

export const Inbound = Schema.Union(Connected, Start, Media, Dtmf, Mark, Stop)
export type Inbound = typeof Inbound.Type
export type StartMessage = typeof Start.Type

const decodeInbound = Schema.decodeUnknownEither(Schema.parseJson(Inbound))
const decodeValue = Schema.decodeUnknownEither(Inbound)

const plainNumber = /^-?\d+(\.\d+)?$/

/** A field Numeric decodes the obvious way; anything stranger (NaN, "1e3", " 7") is left to the Schema. */
const plainNumeric = (value: unknown): number | undefined | false =>
  value === undefined
    ? undefined
    : typeof value === "number" && Number.isFinite(value)
      ? value
      : typeof value === "string" && plainNumber.test(value)
        ? Number(value)
        : false

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * A keypad press as Exotel sends it, read by hand: after media it is the frame the flows wait on, and the
 * Schema's union decode cost more than the rest of a digit's path. Undefined for anything not exactly that
 * shape, which then takes the Schema; tests hold the two to the same answer.
 */
export const readDtmf = (value: unknown): Inbound | undefined => {
  if (!isRecord(value) || value.event !== "dtmf" || !isRecord(value.dtmf)) return undefined
  const { digit } = value.dtmf
  const duration = plainNumeric(value.dtmf.duration)
  const sequence = plainNumeric(value.sequence_number)
  const sid = value.stream_sid
  if (typeof digit !== "string" || duration === false || sequence === false) return undefined
  if (sid !== undefined && typeof sid !== "string") return undefined
  return {
    event: "dtmf",
    ...(sequence === undefined ? {} : { sequence_number: sequence }),
    ...(sid === undefined ? {} : { stream_sid: sid }),
    dtmf: duration === undefined ? { digit } : { digit, duration },
  }
}

/** One text frame from Exotel: a message (with the optional fields of a start that were ignored), or what was wrong. */
export type Reading =
  | { readonly _tag: "Message"; readonly message: Inbound; readonly ignored: ReadonlyArray<string> }
  | { readonly _tag: "Malformed"; readonly reason: string; readonly event: string | undefined }

const none: ReadonlyArray<string> = []
const message = (m: Inbound, ignored = none): Reading => ({ _tag: "Message", message: m, ignored })
const malformed = (error: ParseResult.ParseError, event: string | undefined): Reading => ({
  _tag: "Malformed",
  reason: error.message.split("\n").slice(0, 3).join(" "),
  event,
})

const decodes =
  (schema: Schema.Schema.AnyNoContext) =>
  (value: unknown): boolean =>
    value === undefined || Either.isRight(Schema.decodeUnknownEither(schema)(value))

const isString = decodes(Schema.String)
const isNumeric = decodes(Numeric)
const isParameter = decodes(ParameterValue)
const isEncoding = decodes(Encoding)

/**
 * The optional fields of a start, each checked on its own: a value of the wrong form (a `bit_rate` of
 * "128kbps", an unknown encoding, a number for a stream id) is left out and named, so one odd field does not
 * cost the call (decision 1). The fields that matter — `start` itself and `call_sid` — are not salvaged.
 */
const salvageStart = (value: Record<string, unknown>) => {
  const ignored: Array<string> = []
  type Check = (v: unknown) => boolean
  /** `record` without the fields whose values fail their check (`other` for fields not named), each named. */
  const sifted = (
    record: Record<string, unknown>,
    path: string,
    checks: Record<string, Check>,
    other: Check = () => true,
  ): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(record).filter(([field, v]) => {
        // Own checks only: a field named "valueOf" must not find Object.prototype's.
        if ((Object.hasOwn(checks, field) ? (checks[field] ?? other) : other)(v)) return true
        ignored.push(`${path}${field}`)
        return false
      }),
    )
  const top = sifted(value, "", { sequence_number: isNumeric, stream_sid: isString })
  if (isRecord(top.start)) {
    const start = sifted(top.start, "start.", {
      stream_sid: isString,
      account_sid: isString,
      from: isString,
      to: isString,
      custom_parameters: isRecord,
      media_format: isRecord,
    })
    if (isRecord(start.custom_parameters))
      start.custom_parameters = sifted(start.custom_parameters, "start.custom_parameters.", {}, isParameter)
    if (isRecord(start.media_format))
      start.media_format = sifted(start.media_format, "start.media_format.", {
        encoding: isEncoding,
        sample_rate: isNumeric,
        bit_rate: isNumeric,
      })
    top.start = start
  }
  return { value: top, ignored }
}

const decodeStart = Schema.decodeUnknownEither(Start)

export const readInbound = (text: string): Reading => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // Not JSON: the Schema's parse says where, for the log line.
    return Either.match(decodeInbound(text), {
      onLeft: (error) => malformed(error, undefined),
      onRight: (m) => message(m),
    })
  }
  const dtmf = readDtmf(value)
  if (dtmf !== undefined) return message(dtmf)
  const event = isRecord(value) && typeof value.event === "string" ? value.event : undefined
  // The Schema's union picks a member by String(value.event), which throws for an object whose toString and
  // valueOf are not functions ({"event":{"toString":1}}); a message without a string event is malformed anyway.
  if (event === undefined)
    return { _tag: "Malformed", reason: "a message needs a string event", event: undefined }
  const decoded = decodeValue(value)
  if (Either.isRight(decoded)) return message(decoded.right)
  if (event !== "start" || !isRecord(value)) return malformed(decoded.left, event)
  const salvaged = salvageStart(value)
  return Either.match(decodeStart(salvaged.value), {
    onLeft: (error) => malformed(error, event),
    onRight: (start) => message(start, salvaged.ignored),
  })
}

/** The stream id lives at the top level, or only inside `start` (decision 1). */
export const streamSidOf = (message: StartMessage): string | undefined =>
  message.stream_sid ?? message.start.stream_sid

/** The sample rate the stream negotiated: 8000 unless the start message says 16000 or 24000. */
export const sampleRateOf = (message: StartMessage): SampleRate => {
  const rate = message.start.media_format?.sample_rate
  return rate === 16000 || rate === 24000 ? rate : 8000
}

export type SampleRate = 8000 | 16000 | 24000

/** What the gateway sends back: exactly the documented shapes, snake case (§1.4). */
export type Outbound =
  | { readonly event: "media"; readonly stream_sid: string; readonly media: { readonly payload: string } }
  | { readonly event: "mark"; readonly stream_sid: string; readonly mark: { readonly name: string } }
  | { readonly event: "clear"; readonly stream_sid: string }

export const outboundMedia = (streamSid: string, payload: string): Outbound => ({
  event: "media",
  stream_sid: streamSid,
  media: { payload },
})

export const outboundMark = (streamSid: string, name: string): Outbound => ({
  event: "mark",
  stream_sid: streamSid,
  mark: { name },
})

export const outboundClear = (streamSid: string): Outbound => ({ event: "clear", stream_sid: streamSid })

export const encodeOutbound = (message: Outbound): string => JSON.stringify(message)

/** The keys of a phone keypad; anything else in a dtmf event is logged and dropped. */
export const keypadDigits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#"] as const
export type KeypadDigit = (typeof keypadDigits)[number]
export const isKeypadDigit = (s: string): s is KeypadDigit =>
  (keypadDigits as ReadonlyArray<string>).includes(s)
