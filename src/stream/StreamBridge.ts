// GET /api/exotel/voice-stream: the WebSocket Exotel opens per call. Feeds the socket's messages, in order,
// into the call's session and gives the session a link to write audio and marks back. Malformed and
// out-of-order messages are logged and counted, never fatal; a stop, a close, or silence past
// STREAM_IDLE_SECONDS ends the session cleanly.
//
// The path is claimed on the Node server (UpgradeRoutes) rather than routed: a stream is opened and closed once
// per call but lives for the whole call, and the router's per-request machinery cost several times what a
// `ws` socket does. Each stream is one fiber that takes control messages off its inbox; audio never queues.
import { Effect, Either, Fiber, Layer, Metric, Option, Queue, Runtime, Schema } from "effect"
import { WebSocket, WebSocketServer } from "ws"
import { isEnded } from "../actors/callFlow.js"
import { callMessageFor } from "../actors/scriptedCallFlow.js"
import { VoiceCalls } from "../actors/VoiceCalls.js"
import { VoiceConfig } from "../config/VoiceConfig.js"
import { CallType, type Language, languageOf } from "../domain/VoiceCall.js"
import { UpgradeRoutes } from "../http/NodeServer.js"
import { CallAudioRepo } from "../store/CallAudioRepo.js"
import { ScriptedCallsRepo } from "../store/ScriptedCallsRepo.js"
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
export const streamsOpened = Metric.counter("voice_streams_opened_total")

const mediaPrefix = /^\{\s*"event"\s*:\s*"media"\s*,/
const isPlainMedia = (text: string) => text.length > 200 && mediaPrefix.test(text) && text.endsWith("}")
const mediaPayload = /"payload"\s*:\s*"([A-Za-z0-9+/=]*)"/

/** A frame big enough for a second of 24 kHz audio in base64 several times over; anything larger is refused. */
const maxFrameBytes = 1 << 20

type Attached = {
  readonly callId: string
  readonly kind: "flow" | "line_test" | "voice_ordering" | "scripted"
}

/** What a stream's fiber takes off its inbox: a text frame, or word that the socket closed or fell silent. */
type InboxItem =
  | { readonly _tag: "Frame"; readonly text: string }
  | { readonly _tag: "Closed" }
  | { readonly _tag: "Silent" }
const closedItem: InboxItem = { _tag: "Closed" }
const silentItem: InboxItem = { _tag: "Silent" }

/** A live stream as the silence sweep sees it. */
interface LiveStream {
  lastSeen: number
  readonly inbox: Queue.Queue<InboxItem>
}

const isCallType = Schema.is(CallType)

const textOf = (data: WebSocket.RawData): string =>
  Buffer.isBuffer(data)
    ? data.toString("utf8")
    : Array.isArray(data)
      ? Buffer.concat(data).toString("utf8")
      : Buffer.from(data).toString("utf8")

const makeBridge = Effect.gen(function* () {
  const calls = yield* VoiceCalls
  const repo = yield* VoiceCallsRepo
  const expectations = yield* StreamSessionsRepo
  const tts = yield* TextToSpeech
  const audioStore = yield* CallAudioRepo
  const scripts = yield* ScriptedCallsRepo
  const clock = yield* Effect.clock

  // An AI voice call's session is told even if it is not live: it reloads from the database and records what the
  // stream says. Any other session that has ended stays ended; a late key or close must not start it again.
  const tellerOf = (a: Attached) => (a.kind === "flow" ? calls.send : calls.notify)

  /**
   * The life of one stream, from the handshake to its session's end. Its listeners are on the socket before this
   * returns, so no frame can arrive unheard; the returned effect runs the stream and ends with it.
   */
  return (ws: WebSocket, requestUrl: string | undefined, live: Set<LiveStream>) => {
    const query = new URL(requestUrl ?? "/", "http://gateway").searchParams
    const inbox = Effect.runSync(Queue.unbounded<InboxItem>())
    const stream: LiveStream = { lastSeen: clock.unsafeCurrentTimeMillis(), inbox }
    let mediaMessages = 0
    // Set when the stream asks to be recorded (record=true in its URL or custom parameters): the caller's audio
    // is kept, bounded, for call quality analysis. Otherwise media stays undecoded.
    const capture: {
      current: { readonly callSid: string; readonly rate: number; readonly audio: CallAudioBuffer } | null
    } = { current: null }

    ws.on("message", (data, isBinary) => {
      stream.lastSeen = clock.unsafeCurrentTimeMillis()
      const text = textOf(data)
      // Inbound audio is nine in ten messages and nothing in the built-in flows listens to it: count it here,
      // without decoding its payload or waking the fiber. Anything that does not look exactly like media takes
      // the inbox and the full, liberal decode.
      if (!isBinary && isPlainMedia(text)) {
        mediaMessages++
        const payload = capture.current === null ? undefined : mediaPayload.exec(text)?.[1]
        if (payload !== undefined) capture.current?.audio.append(payload)
      } else inbox.unsafeOffer({ _tag: "Frame", text })
    })
    ws.once("close", () => inbox.unsafeOffer(closedItem))
    ws.on("error", () => ws.terminate())
    live.add(stream)

    return Effect.gen(function* () {
      let attached = Option.none<Attached>()
      let streamSid = Option.none<string>()

      // A write after the peer has gone is dropped; ws would only report it to a callback nobody reads.
      const send = (message: Outbound) =>
        Effect.sync(() => {
          if (ws.readyState === WebSocket.OPEN) ws.send(encodeOutbound(message))
        })
      const close = Effect.sync(() => {
        if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)
          ws.close(1000, "session ended")
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
            if (Option.isSome(stored)) {
              if (isEnded(stored.value.flow))
                return yield* apologise(link, language, `no live call ${callId}`)
              attached = Option.some({ callId, kind: "flow" })
              return yield* calls.attachStream(callId, link)
            }
            // Not an AI voice call: a scheduled or campaign call, which says its message.
            const source = yield* scripts.sourceOf(callId)
            if (Option.isNone(source)) return yield* apologise(link, language, `no live call ${callId}`)
            attached = Option.some({ callId, kind: "scripted" })
            return yield* calls.startScripted(
              callId,
              callMessageFor(source.value.purpose, source.value.variables, source.value.ownMessage),
              link,
            )
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
        const tell = tellerOf(a.value)
        return Effect.zipRight(
          tell(a.value.callId, {
            _tag: "Flow",
            event: { _tag: "Hangup", outcome: "completed" },
            source: "stream",
          }),
          tell(a.value.callId, { _tag: "Detach" }),
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
              return yield* tellerOf(attached.value)(attached.value.callId, {
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

      // Everything that arrived before the close is handled, in order; then the session is told it is over.
      while (true) {
        const item = yield* Queue.take(inbox)
        if (item._tag === "Closed") break
        if (item._tag === "Silent") {
          yield* Effect.logInfo("Voice stream silent past its timeout; closing it")
          yield* endSession
          yield* close
          continue
        }
        yield* handle(item.text)
      }
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
    }).pipe(Effect.ensuring(Effect.sync(() => live.delete(stream))))
  }
})

/**
 * The voice-stream endpoint on the gateway's Node server: the `ws` handshake, one fiber per stream, one sweep
 * for silence across all streams (a timer per stream was a storm of its own at hundreds of streams), and at
 * shutdown every stream closed as going away (1001) and given a moment to hand its session over.
 */
export const VoiceStreamServerLive = Layer.scopedDiscard(
  Effect.gen(function* () {
    const bridge = yield* makeBridge
    const config = yield* VoiceConfig
    const upgrades = yield* UpgradeRoutes
    const clock = yield* Effect.clock
    const runFork = Runtime.runFork(yield* Effect.runtime<never>())
    const live = new Set<LiveStream>()
    const fibers = new Set<Fiber.RuntimeFiber<void>>()
    const sockets = new Set<WebSocket>()
    const server = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: maxFrameBytes,
    })

    yield* upgrades.claim(voiceStreamPath, (request, socket, head) =>
      server.handleUpgrade(request, socket, head, (ws) => {
        sockets.add(ws)
        ws.once("close", () => sockets.delete(ws))
        const fiber = runFork(Effect.zipRight(Metric.increment(streamsOpened), bridge(ws, request.url, live)))
        firstStream.unsafeOffer(undefined)
        fibers.add(fiber)
        fiber.addObserver(() => fibers.delete(fiber))
      }),
    )

    // The sweep runs only while there are streams to sweep: an idle gateway keeps no timer for it.
    const idleMillis = config.streamIdleSeconds * 1000
    const sweepEvery = Math.min(1000, Math.max(50, idleMillis / 4))
    const firstStream = yield* Queue.sliding<void>(1)
    yield* Effect.gen(function* () {
      while (true) {
        if (live.size === 0) yield* Queue.take(firstStream)
        yield* Effect.sleep(sweepEvery)
        const now = clock.unsafeCurrentTimeMillis()
        for (const stream of live) {
          if (now - stream.lastSeen > idleMillis) {
            live.delete(stream)
            stream.inbox.unsafeOffer(silentItem)
          }
        }
      }
    }).pipe(Effect.forkScoped)

    yield* Effect.addFinalizer(() =>
      Effect.gen(function* () {
        for (const ws of sockets) ws.close(1001, "gateway shutting down")
        yield* Fiber.awaitAll([...fibers]).pipe(Effect.timeout("3 seconds"), Effect.ignore)
        for (const ws of sockets) ws.terminate()
        yield* Effect.async<void>((resume) => server.close(() => resume(Effect.void)))
      }),
    )
  }),
)
