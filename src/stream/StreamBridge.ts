// GET /api/exotel/voice-stream: the WebSocket Exotel opens per call. Let in only with a credential (StreamGate),
// it feeds the socket's messages, in order, into the call's session and gives the session a link to write audio
// and marks back. What a stream runs comes from what proved it: the call its token names, the expectation its
// session names — never an order, vendor or rider from its own parameters. Malformed and out-of-order messages
// are logged and counted, never fatal; a start that cannot be used closes the stream (1007), so does a stream
// that sends none (1008); past STREAM_MESSAGES_PER_SECOND media is dropped, then the stream closed (1008);
// a stop, a close, or silence past STREAM_IDLE_SECONDS ends the session cleanly.
//
// The path is claimed on the Node server (UpgradeRoutes) rather than routed: a stream is opened and closed once
// per call but lives for the whole call, and the router's per-request machinery cost several times what a
// `ws` socket does. Each stream is one fiber that takes control messages off its inbox; audio never queues.
import { Effect, Fiber, Layer, Metric, Option, Queue, Runtime, Schema } from "effect"
import { WebSocket, WebSocketServer } from "ws"
import { isEnded } from "../actors/callFlow.js"
import { callMessageFor } from "../actors/scriptedCallFlow.js"
import { VoiceCalls } from "../actors/VoiceCalls.js"
import { Settings } from "../config/Settings.js"
import { VoiceConfig, type VoiceConfigShape } from "../config/VoiceConfig.js"
import { CallType, type Language, languageOf } from "../domain/VoiceCall.js"
import { fullBudget, type MessageBudget, type MessageLimits, spend } from "../policy/stream/messageBudget.js"
import { CallAudioRepo } from "../store/CallAudioRepo.js"
import { ScriptedCallsRepo } from "../store/ScriptedCallsRepo.js"
import { StreamSessionsRepo } from "../store/StreamSessionsRepo.js"
import { VoiceCallsRepo } from "../store/VoiceCallsRepo.js"
import { fromBase64 } from "./audio.js"
import { type CallAudioBuffer, callAudioBuffer } from "./CallAudioBuffer.js"
import {
  encodeOutbound,
  isKeypadDigit,
  type Outbound,
  readInbound,
  type StartMessage,
  sampleRateOf,
  streamSidOf,
} from "./protocol.js"
import { play } from "./Speaker.js"
import { voiceStreamPath } from "./StreamCredentials.js"
import { makeStreamGate, type StreamGateShape } from "./StreamGate.js"
import type { StreamLink } from "./StreamLink.js"
import { TextToSpeech } from "./speech/TextToSpeech.js"
import type { StreamIdentity } from "./streamAuthentication.js"
import { UpgradeRoutes } from "./UpgradeRoutes.js"
import { makeVoiceActivity, type VoiceActivity } from "./voiceActivity.js"

export const streamMessages = Metric.counter("voice_stream_messages_total")
export const malformedMessages = Metric.counter("voice_stream_malformed_total")
export const outOfOrderMessages = Metric.counter("voice_stream_out_of_order_total")
export const mediaFrames = Metric.counter("voice_stream_media_frames_total")
export const streamsOpened = Metric.counter("voice_streams_opened_total")
const ignoredStartFields = Metric.counter("voice_stream_start_fields_ignored_total", {
  description: "Optional fields of start messages left out for a value of the wrong form, by field",
})
const unusableStreams = Metric.counter("voice_stream_unusable_total", {
  description: "Streams closed for a start that could not be used, or none at all, by why",
})
const rateLimited = Metric.counter("voice_stream_rate_limited_total", {
  description: "Messages past a stream's message-rate cap: media dropped, streams closed",
})
const mediaDropped = Metric.tagged(rateLimited, "action", "media_dropped")
const floodClosed = Metric.tagged(rateLimited, "action", "closed")

/**
 * How long a stream may go without a start message: Exotel's own bots must answer within 10 s, and a stream
 * gets no longer to start than it may stay silent.
 */
const startDeadlineMillis = (config: VoiceConfigShape) => Math.min(10_000, config.streamIdleSeconds * 1000)

// A close frame's reason is at most 123 bytes; what a peer sent is kept printable and short.
const closeReason = (text: string) => text.replace(/[^\x20-\x7e]/g, "?").slice(0, 120)
// A custom parameter's name is the peer's to choose: the metric counts them under one field.
const fieldTag = (field: string) =>
  field.startsWith("start.custom_parameters.") ? "start.custom_parameters" : field

const mediaPrefix = /^\{\s*"event"\s*:\s*"media"\s*,/
const isPlainMedia = (text: string) => text.length > 200 && mediaPrefix.test(text) && text.endsWith("}")
const mediaPayload = /"payload"\s*:\s*"([A-Za-z0-9+/=]*)"/

/** A frame big enough for a second of 24 kHz audio in base64 several times over; anything larger is refused. */
const maxFrameBytes = 1 << 20

type Attached = {
  readonly callId: string
  readonly kind: "flow" | "line_test" | "voice_ordering" | "scripted"
}

/**
 * What a stream's fiber takes off its inbox: a text frame, or word that the socket closed, fell silent, sent no
 * start in time, or went past its message rate.
 */
type InboxItem =
  | { readonly _tag: "CallerSpoke" }
  | { readonly _tag: "Frame"; readonly text: string }
  | { readonly _tag: "Closed" }
  | { readonly _tag: "Silent" }
  | { readonly _tag: "NoStart" }
  | { readonly _tag: "Flooded" }
const closedItem: InboxItem = { _tag: "Closed" }
const spokeItem: InboxItem = { _tag: "CallerSpoke" }
const silentItem: InboxItem = { _tag: "Silent" }
const noStartItem: InboxItem = { _tag: "NoStart" }
const floodedItem: InboxItem = { _tag: "Flooded" }

/** A live stream as the sweep sees it. */
interface LiveStream {
  lastSeen: number
  readonly openedAt: number
  /** Set once a start arrived, or once the sweep gave up waiting for one. */
  started: boolean
  readonly inbox: Queue.Queue<InboxItem>
}

const isCallType = Schema.is(CallType)

/** A stream's own parameters: those of its URL, overridden by the start's custom parameters. */
type Parameters = Readonly<Record<string, string | undefined>>

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
  const settings = yield* Settings
  const config = yield* VoiceConfig
  const limits: MessageLimits = { perSecond: config.streamMaxMessagesPerSecond }
  const startWithinMillis = startDeadlineMillis(config)
  const clock = yield* Effect.clock

  // An AI voice call's session is told even if it is not live: it reloads from the database and records what the
  // stream says. Any other session that has ended stays ended; a late key or close must not start it again.
  const tellerOf = (a: Attached) => (a.kind === "flow" ? calls.send : calls.notify)

  /**
   * The life of one stream, from the handshake to its session's end. Its listeners are on the socket before this
   * returns, so no frame can arrive unheard; the returned effect runs the stream and ends with it.
   */
  return (
    ws: WebSocket,
    handshakeIdentity: StreamIdentity,
    requestUrl: string | undefined,
    live: Set<LiveStream>,
    proveStart: StreamGateShape["proveStart"],
  ) => {
    const query = new URL(requestUrl ?? "/", "http://gateway").searchParams
    const inbox = Effect.runSync(Queue.unbounded<InboxItem>())
    const openedAt = clock.unsafeCurrentTimeMillis()
    const stream: LiveStream = { lastSeen: openedAt, openedAt, started: false, inbox }
    let mediaMessages = 0
    let droppedMedia = 0
    let budget: MessageBudget = fullBudget(limits, openedAt)
    // Set when the stream is being closed for what it sent: nothing it sends after that is read.
    let shut = false
    // Set when the stream asks to be recorded (record=true in its URL or custom parameters): the caller's audio
    // is kept, bounded, for call quality analysis. Otherwise media stays undecoded.
    const capture: {
      current: { readonly callSid: string; readonly rate: number; readonly audio: CallAudioBuffer } | null
    } = { current: null }
    // Set when the stream's flow allows barge-in: its audio goes through the voice-activity detector, whose
    // onsets reach the session.
    const listening: { current: VoiceActivity | null } = { current: null }

    ws.on("message", (data, isBinary) => {
      if (shut) return
      const now = clock.unsafeCurrentTimeMillis()
      stream.lastSeen = now
      const text = textOf(data)
      // Inbound audio is nine in ten messages and nothing in the built-in flows listens to it: count it here,
      // without decoding its payload or waking the fiber. Anything that does not look exactly like media takes
      // the inbox and the full, liberal decode.
      const media = !isBinary && isPlainMedia(text)
      const [next, verdict] = spend(budget, now, media ? "media" : "control", limits)
      budget = next
      if (verdict === "drop") {
        droppedMedia++
        return
      }
      if (verdict === "close") {
        shut = true
        inbox.unsafeOffer(floodedItem)
        return
      }
      if (media) {
        mediaMessages++
        const payload =
          capture.current === null && listening.current === null ? undefined : mediaPayload.exec(text)?.[1]
        if (payload !== undefined) capture.current?.audio.append(payload)
        if (payload !== undefined && listening.current?.feed(fromBase64(payload)) === true)
          inbox.unsafeOffer(spokeItem)
      } else inbox.unsafeOffer({ _tag: "Frame", text })
    })
    ws.once("close", () => inbox.unsafeOffer(closedItem))
    // On a frame it cannot take (too big: 1009, not UTF-8: 1007) ws has already sent its close; cutting the socket
    // at once would lose that close and its code. A peer that does not answer it is cut a moment later.
    ws.on("error", () => setTimeout(() => ws.terminate(), 1_000).unref())
    live.add(stream)

    return Effect.gen(function* () {
      let attached = Option.none<Attached>()
      let streamSid = Option.none<string>()

      // A write after the peer has gone is dropped; ws would only report it to a callback nobody reads.
      const send = (message: Outbound) =>
        Effect.sync(() => {
          if (ws.readyState === WebSocket.OPEN) ws.send(encodeOutbound(message))
        })
      const closeWith = (code: number, reason: string) =>
        Effect.sync(() => {
          if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)
            ws.close(code, closeReason(reason))
        })
      const close = closeWith(1000, "session ended")
      /** Closes the stream for what it sent (or failed to send), with a log line and a count. */
      const refuse = (code: number, why: string, detail: string) =>
        Effect.gen(function* () {
          shut = true
          yield* Metric.increment(Metric.tagged(unusableStreams, "why", why))
          yield* Effect.logWarning("Voice stream closed: nothing it sent could start a session").pipe(
            Effect.annotateLogs({ why, detail, code }),
          )
          yield* closeWith(code, `${why}: ${detail}`)
        })

      /** A flow that allows barge-in has its caller's audio listened to from now on. */
      const listenIn = (flow: string, link: StreamLink) => {
        if (config.bargeInFlows.includes(flow)) listening.current = makeVoiceActivity(link.rate)
      }

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
              : "माफ़ कीजिए, यह लाइन उपलब्ध नहीं है। नमस्ते।"
          yield* play(link, yield* tts.synthesize(text, language, link.rate), "apology")
          yield* closeWith(1000, why)
        })

      /** A call the gateway placed (its StreamUrl's token named it): an AI voice call, or a scripted one. */
      const attachPlaced = (callId: string, link: StreamLink, language: Language) =>
        Effect.gen(function* () {
          const stored = yield* repo.find(callId)
          if (Option.isSome(stored)) {
            if (isEnded(stored.value.flow)) return yield* apologise(link, language, `no live call ${callId}`)
            attached = Option.some({ callId, kind: "flow" })
            listenIn(stored.value.flow.callType, link)
            return yield* calls.attachStream(callId, link)
          }
          // Not an AI voice call: a scheduled or campaign call, which says its message.
          const source = yield* scripts.sourceOf(callId)
          if (Option.isNone(source)) return yield* apologise(link, language, `no live call ${callId}`)
          attached = Option.some({ callId, kind: "scripted" })
          return yield* calls.startScripted(
            callId,
            callMessageFor(
              source.value.purpose,
              source.value.language,
              source.value.variables,
              source.value.ownMessage,
            ),
            link,
          )
        })

      const startLineTest = (sid: string, link: StreamLink, language: Language) => {
        const id = `LT_${sid}`
        attached = Option.some({ callId: id, kind: "line_test" })
        return calls.startLineTest(id, language, link)
      }

      /** A stream announced by POST /voice-stream/start: its expectation says the flow and the order. */
      const runExpected = (
        sessionId: string,
        start: StartMessage,
        sid: string,
        link: StreamLink,
        asked: Language,
      ) =>
        Effect.gen(function* () {
          const claimed = yield* expectations.claim(sessionId, start.start.call_sid)
          if (Option.isNone(claimed)) return yield* apologise(link, asked, `no session ${sessionId}`)
          const expected = claimed.value
          const language = languageOf(expected.language)
          const flow = expected.flow
          if (flow === "line_test") return yield* startLineTest(sid, link, language)
          if (flow === "voice_ordering") {
            const id = `VO_${sid}`
            attached = Option.some({ callId: id, kind: "voice_ordering" })
            listenIn("voice_ordering", link)
            return yield* calls.startVoiceOrdering(
              id,
              {
                orderSessionId: expected.orderSessionId ?? expected.sessionId,
                language,
                callSid: start.start.call_sid,
              },
              link,
            )
          }
          if (!isCallType(flow)) return yield* apologise(link, language, `unknown flow ${flow}`)
          if (!(yield* settings.current).stream.inboundFlowsEnabled)
            return yield* apologise(link, language, "inbound stream flows are switched off")
          if (expected.orderId === null)
            return yield* apologise(link, language, `session ${sessionId} names no order`)
          const id = yield* calls.startInbound({
            callType: flow,
            phone: expected.phone,
            language,
            callSid: start.start.call_sid,
            orderId: expected.orderId,
          })
          attached = Option.some({ callId: id, kind: "flow" })
          listenIn(flow, link)
          return yield* calls.attachStream(id, link)
        })

      const onStart = (start: StartMessage) =>
        Effect.gen(function* () {
          const sid = streamSidOf(start) ?? start.start.call_sid
          streamSid = Option.some(sid)
          stream.started = true
          const params: Parameters = {
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
          const language = languageOf(params.language)
          const identity =
            handshakeIdentity._tag === "ProofInStart"
              ? yield* proveStart(start.start.custom_parameters ?? {})
              : handshakeIdentity
          if (identity === undefined)
            return yield* refuse(1008, "credential required", "its start proved no call or session")
          switch (identity._tag) {
            case "PlacedCall":
              return yield* attachPlaced(identity.callId, link, language)
            case "AnnouncedSession":
              return yield* runExpected(identity.sessionId, start, sid, link, language)
            case "Applet": {
              // A flow Exotel opened proves only that Exotel opened it: it may name an expectation, or ask for
              // the line test, which is about no order.
              if (params.sessionId !== undefined)
                return yield* runExpected(params.sessionId, start, sid, link, language)
              if (params.flow === "line_test") return yield* startLineTest(sid, link, language)
              return yield* apologise(
                link,
                language,
                params.flow === undefined
                  ? "no flow named"
                  : isCallType(params.flow) || params.flow === "voice_ordering"
                    ? `flow ${params.flow} needs a stream expectation`
                    : `unknown flow ${params.flow}`,
              )
            }
          }
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
          const reading = readInbound(text)
          if (reading._tag === "Malformed") {
            if (reading.event === "start" && Option.isNone(streamSid))
              return yield* refuse(1007, "unusable start message", reading.reason)
            yield* Metric.increment(malformedMessages)
            return yield* Effect.logDebug("Malformed stream message").pipe(
              Effect.annotateLogs({ error: reading.reason }),
            )
          }
          for (const field of reading.ignored)
            yield* Metric.increment(Metric.tagged(ignoredStartFields, "field", fieldTag(field)))
          if (reading.ignored.length > 0)
            yield* Effect.logDebug("Start message fields ignored").pipe(
              Effect.annotateLogs({ fields: reading.ignored.slice(0, 10).map(closeReason) }),
            )
          const message = reading.message
          switch (message.event) {
            case "media": {
              capture.current?.audio.append(message.media.payload)
              const heard = listening.current?.feed(fromBase64(message.media.payload)) === true
              if (heard && Option.isSome(attached))
                yield* tellerOf(attached.value)(attached.value.callId, { _tag: "CallerSpoke" })
              return
            }
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
        if (item._tag === "CallerSpoke") {
          // Once per utterance: the detector listens again after the caller pauses.
          if (Option.isSome(attached) && !shut)
            yield* tellerOf(attached.value)(attached.value.callId, { _tag: "CallerSpoke" })
          continue
        }
        if (item._tag === "Silent") {
          yield* Effect.logInfo("Voice stream silent past its timeout; closing it")
          yield* endSession
          yield* close
          continue
        }
        if (item._tag === "NoStart") {
          if (Option.isNone(streamSid))
            yield* refuse(1008, "no start message", `none within ${startWithinMillis / 1000} s`)
          continue
        }
        if (item._tag === "Flooded") {
          yield* Metric.increment(floodClosed)
          yield* Effect.logWarning("Voice stream past its message rate; closing it").pipe(
            Effect.annotateLogs({ perSecond: limits.perSecond }),
          )
          yield* endSession
          yield* closeWith(1008, `message rate above ${limits.perSecond} a second`)
          continue
        }
        if (shut) continue
        yield* handle(item.text)
      }
      yield* Metric.incrementBy(streamMessages, mediaMessages)
      yield* Metric.incrementBy(mediaFrames, mediaMessages)
      if (droppedMedia > 0) yield* Metric.incrementBy(mediaDropped, droppedMedia)
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
    const gate = yield* makeStreamGate
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

    yield* upgrades.claim(voiceStreamPath, (request, socket, head) => {
      const identity = gate.admit(request, socket)
      if (identity === undefined) return
      server.handleUpgrade(request, socket, head, (ws) => {
        sockets.add(ws)
        ws.once("close", () => sockets.delete(ws))
        const fiber = runFork(
          Effect.zipRight(
            Metric.increment(streamsOpened),
            bridge(ws, identity, request.url, live, gate.proveStart),
          ),
        )
        firstStream.unsafeOffer(undefined)
        fibers.add(fiber)
        fiber.addObserver(() => fibers.delete(fiber))
      })
    })

    // The sweep (for silence, and for a start that never came) runs only while there are streams to sweep: an
    // idle gateway keeps no timer for it.
    const idleMillis = config.streamIdleSeconds * 1000
    const startWithinMillis = startDeadlineMillis(config)
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
          } else if (!stream.started && now - stream.openedAt > startWithinMillis) {
            stream.started = true
            stream.inbox.unsafeOffer(noStartItem)
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
