// GET /api/exotel/voice-stream: the WebSocket Exotel opens per call. Feeds the socket's messages, in order,
// into the call's session and gives the session a link to write audio and marks back. Malformed and
// out-of-order messages are logged and counted, never fatal; a stop, a close, or silence past
// STREAM_IDLE_SECONDS ends the session cleanly.
import { HttpLayerRouter, HttpServerRequest, HttpServerResponse, Socket } from "@effect/platform"
import { Effect, Either, Fiber, Layer, Metric, Option, Queue, Schema } from "effect"
import { isEnded } from "../actors/callFlow.js"
import { VoiceCalls } from "../actors/VoiceCalls.js"
import { VoiceConfig } from "../config/VoiceConfig.js"
import { CallType, type Language, languageOf } from "../domain/VoiceCall.js"
import { CallAudioRepo } from "../store/CallAudioRepo.js"
import { StreamSessionsRepo } from "../store/StreamSessionsRepo.js"
import { VoiceCallsRepo } from "../store/VoiceCallsRepo.js"
import { type CallAudioBuffer, callAudioBuffer } from "./CallAudioBuffer.js"
import {
  encodeOutbound,
  isKeypadDigit,
  type Outbound,
  parseInbound,
  type StartMessage,
  sampleRateOf,
  streamSidOf,
} from "./protocol.js"
import { play } from "./Speaker.js"
import type { StreamLink } from "./StreamLink.js"
import { TextToSpeech } from "./speech/TextToSpeech.js"

export const voiceStreamPath = "/api/exotel/voice-stream"

export const streamMessages = Metric.counter("voice_stream_messages_total")
export const malformedMessages = Metric.counter("voice_stream_malformed_total")
export const outOfOrderMessages = Metric.counter("voice_stream_out_of_order_total")
export const mediaFrames = Metric.counter("voice_stream_media_frames_total")

const utf8 = new TextDecoder()

const mediaPrefix = /^\{\s*"event"\s*:\s*"media"\s*,/
const isPlainMedia = (text: string) => text.length > 200 && mediaPrefix.test(text) && text.endsWith("}")
const mediaPayload = /"payload"\s*:\s*"([A-Za-z0-9+/=]*)"/

type Attached = { readonly callId: string; readonly kind: "flow" | "line_test" | "voice_ordering" }

const isCallType = Schema.is(CallType)

export const voiceStreamHandler = Effect.gen(function* () {
  const request = yield* HttpServerRequest.HttpServerRequest
  const calls = yield* VoiceCalls
  const repo = yield* VoiceCallsRepo
  const expectations = yield* StreamSessionsRepo
  const tts = yield* TextToSpeech
  const config = yield* VoiceConfig
  const audioStore = yield* CallAudioRepo
  const query = new URL(request.url, "http://gateway").searchParams
  const socket = yield* request.upgrade

  yield* Effect.scoped(
    Effect.gen(function* () {
      const write = yield* socket.writer
      // The socket hands messages over concurrently; one consumer keeps them in the caller's order.
      const inbox = yield* Queue.unbounded<string | null>()
      const clock = yield* Effect.clock
      let attached = Option.none<Attached>()
      let streamSid = Option.none<string>()
      let lastSeen = clock.unsafeCurrentTimeMillis()
      let closed = false
      // Set when the stream asks to be recorded (record=true in its URL or custom parameters): the caller's audio
      // is kept, bounded, for call quality analysis. Otherwise media stays undecoded.
      const capture: {
        current: { readonly callSid: string; readonly rate: number; readonly audio: CallAudioBuffer } | null
      } = { current: null }

      // The platform's writer waits for the socket to be open, and once the peer has gone it never will be: a
      // write after the close would wait for ever. Writes stop at the close; the close itself (rare, and
      // possibly racing the peer's) is given a bound.
      const send = (message: Outbound) =>
        Effect.suspend(() => (closed ? Effect.void : write(encodeOutbound(message)).pipe(Effect.ignore)))
      const close = Effect.suspend(() => {
        if (closed) return Effect.void
        closed = true
        return write(new Socket.CloseEvent(1000, "session ended")).pipe(
          Effect.timeout("2 seconds"),
          Effect.ignore,
        )
      })

      const linkFor = (start: StartMessage, sid: string): StreamLink => ({
        streamSid: sid,
        rate: sampleRateOf(start),
        send,
        close,
      })

      const apologise = (link: StreamLink, language: Language, why: string) =>
        Effect.gen(function* () {
          yield* Effect.logInfo("Voice stream with no flow to run; apologising").pipe(
            Effect.annotateLogs({ why }),
          )
          const text =
            language === "en"
              ? "Sorry, this line is not available. Goodbye."
              : "Maaf kijiye, yeh line uplabdh nahin hai."
          yield* play(link, yield* tts.synthesize(text, language, link.rate), "apology")
          yield* close
        })

      const onStart = (start: StartMessage) =>
        Effect.gen(function* () {
          const sid = streamSidOf(start) ?? start.start.call_sid
          streamSid = Option.some(sid)
          const params: Record<string, string> = {
            ...Object.fromEntries(query),
            ...(start.start.custom_parameters ?? {}),
          }
          const link = linkFor(start, sid)
          if (params.record === "true")
            capture.current = {
              callSid: start.start.call_sid,
              rate: link.rate,
              audio: callAudioBuffer(link.rate),
            }
          let language = languageOf(params.language)
          let flow = params.flow
          const callId = params.callId
          if (callId !== undefined) {
            const stored = yield* repo.find(callId)
            if (Option.isNone(stored) || isEnded(stored.value.flow))
              return yield* apologise(link, language, `no live call ${callId}`)
            attached = Option.some({ callId, kind: "flow" })
            return yield* calls.attachStream(callId, link)
          }
          if (params.sessionId !== undefined) {
            const expected = yield* expectations.claim(params.sessionId, start.start.call_sid)
            if (Option.isNone(expected))
              return yield* apologise(link, language, `no session ${params.sessionId}`)
            language = languageOf(expected.value.language)
            flow = expected.value.flow
          }
          if (flow === "voice_ordering") {
            // The order session is named by its own parameter, or shares the id of the stream expectation.
            const orderSessionId = params.orderSessionId ?? params.sessionId
            if (orderSessionId === undefined)
              return yield* apologise(link, language, "voice_ordering without an order session")
            const id = `VO_${sid}`
            attached = Option.some({ callId: id, kind: "voice_ordering" })
            return yield* calls.startVoiceOrdering(
              id,
              { orderSessionId, language, callSid: start.start.call_sid },
              link,
            )
          }
          if (flow === "line_test") {
            const id = `LT_${sid}`
            attached = Option.some({ callId: id, kind: "line_test" })
            return yield* calls.startLineTest(id, language, link)
          }
          if (flow !== undefined && isCallType(flow)) {
            const id = yield* calls.startInbound({
              callType: flow,
              phone: start.start.from ?? "unknown",
              language,
              callSid: start.start.call_sid,
              orderId: Option.getOrNull(Option.filter(Option.some(Number(params.orderId)), Number.isInteger)),
            })
            attached = Option.some({ callId: id, kind: "flow" })
            return yield* calls.attachStream(id, link)
          }
          return yield* apologise(link, language, `unknown flow ${flow ?? "(none)"}`)
        })

      const endSession = Effect.suspend(() => {
        const a = attached
        attached = Option.none()
        if (Option.isNone(a)) return Effect.void
        return Effect.zipRight(
          calls.send(a.value.callId, {
            _tag: "Flow",
            event: { _tag: "Hangup", outcome: "completed" },
            source: "stream",
          }),
          calls.send(a.value.callId, { _tag: "Detach" }),
        )
      })

      const outOfOrder = (why: string) =>
        Effect.zipRight(
          Metric.increment(outOfOrderMessages),
          Effect.logDebug("Out-of-order stream message").pipe(Effect.annotateLogs({ why })),
        )

      const handle = (text: string) =>
        Effect.gen(function* () {
          yield* Metric.increment(streamMessages)
          const parsed = parseInbound(text)
          if (Either.isLeft(parsed)) {
            yield* Metric.increment(malformedMessages)
            return yield* Effect.logDebug("Malformed stream message").pipe(
              Effect.annotateLogs({ error: parsed.left }),
            )
          }
          const message = parsed.right
          switch (message.event) {
            case "media":
              capture.current?.audio.append(message.media.payload)
              return
            case "connected":
            case "mark":
              return
            case "start":
              if (Option.isSome(streamSid)) return yield* outOfOrder("a second start")
              return yield* onStart(message)
            case "dtmf": {
              if (Option.isNone(attached)) return yield* outOfOrder("dtmf before start")
              if (!isKeypadDigit(message.dtmf.digit)) return yield* Metric.increment(malformedMessages)
              return yield* calls.send(attached.value.callId, {
                _tag: "Flow",
                event: { _tag: "Digit", digit: message.dtmf.digit },
                source: "stream",
              })
            }
            case "stop":
              yield* endSession
              return yield* close
          }
        }).pipe(
          Effect.catchAllCause((cause) =>
            Effect.zipRight(
              Metric.increment(malformedMessages),
              Effect.logWarning("A stream message could not be handled", cause),
            ),
          ),
        )

      const consumer = yield* Effect.fork(
        Effect.gen(function* () {
          while (true) {
            const text = yield* Queue.take(inbox)
            if (text === null) return
            yield* handle(text)
          }
        }),
      )
      // Sleeps until the silence deadline the last message set, not on a fixed tick: a live stream wakes it once
      // per timeout rather than once a second, which at hundreds of streams was a timer storm of its own.
      const idleMillis = config.streamIdleSeconds * 1000
      const watchdog = yield* Effect.fork(
        Effect.gen(function* () {
          while (true) {
            const left = lastSeen + idleMillis - clock.unsafeCurrentTimeMillis()
            if (left < 0) break
            yield* Effect.sleep(left + 1)
          }
          yield* Effect.logInfo("Voice stream silent past its timeout; closing it")
          yield* endSession
          yield* close
        }),
      )

      let mediaMessages = 0
      yield* socket
        .runRaw((data) => {
          lastSeen = clock.unsafeCurrentTimeMillis()
          const text = typeof data === "string" ? data : utf8.decode(data)
          // Inbound audio is nine in ten messages and nothing in the built-in flows listens to it: count it here,
          // without decoding its payload or waking the consumer. Anything that does not look exactly like media
          // takes the queue and the full, liberal decode.
          if (isPlainMedia(text)) {
            mediaMessages++
            const payload = capture.current === null ? undefined : mediaPayload.exec(text)?.[1]
            if (payload !== undefined) capture.current?.audio.append(payload)
          } else inbox.unsafeOffer(text)
        })
        .pipe(
          Effect.catchAll((error) =>
            Effect.logDebug("Voice stream socket ended with an error").pipe(
              Effect.annotateLogs({ error: String(error) }),
            ),
          ),
        )
      closed = true
      // Let the consumer finish what arrived before the close, then end the session if no stop did.
      inbox.unsafeOffer(null)
      yield* Fiber.await(consumer)
      yield* Fiber.interrupt(watchdog)
      yield* Metric.incrementBy(streamMessages, mediaMessages)
      yield* Metric.incrementBy(mediaFrames, mediaMessages)
      const kept = capture.current
      if (kept !== null && kept.audio.pcm().length > 0)
        yield* audioStore.save({
          callSid: kept.callSid,
          sampleRate: kept.rate,
          pcm: kept.audio.pcm(),
          truncated: kept.audio.truncated(),
        })
      yield* endSession
    }),
  )
  return HttpServerResponse.empty()
})

/** The route, with the services the handler needs captured when the router is built. */
export const VoiceStreamRoute = Layer.unwrapEffect(
  Effect.map(
    Effect.context<
      VoiceCalls | VoiceCallsRepo | StreamSessionsRepo | TextToSpeech | VoiceConfig | CallAudioRepo
    >(),
    (context) => HttpLayerRouter.add("GET", voiceStreamPath, Effect.provide(voiceStreamHandler, context)),
  ),
)
