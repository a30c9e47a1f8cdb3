// The AI voice calls as the rest of the gateway sees them: start a vendor confirmation or rider assignment,
// apply Nerve and Exotel callbacks, retry, and hand a connecting voice stream to its session. Two modes, one
// state machine: with NERVE_SYSTEM_URL the Nerve system places the call and reports; without it we place it
// through the CallPlacer with our own stream URL and run the flow from the stream.
import { randomBytes } from "node:crypto"
import { Clock, Context, Deferred, Duration, Effect, Layer, Option, type Scope } from "effect"
import { GatewayEnv } from "../config/Env.js"
import { Settings } from "../config/Settings.js"
import type { CallType, Language } from "../domain/VoiceCall.js"
import { ScriptedCallsRepo } from "../store/ScriptedCallsRepo.js"
import { type CallDetails, type CallMode, VoiceCallsRepo } from "../store/VoiceCallsRepo.js"
import { StreamCredentials, voiceStreamPath } from "../stream/StreamCredentials.js"
import type { StreamLink } from "../stream/StreamLink.js"
import { TextToSpeech } from "../stream/speech/TextToSpeech.js"
import { NerveClient, type NerveClientShape } from "../upstream/nerve/NerveClient.js"
import { CallPlacer } from "./CallPlacer.js"
import { CallRegistry } from "./CallRegistry.js"
import { type FlowEvent, initialState } from "./callFlow.js"
import { DomainEvents } from "./DomainEvents.js"
import { flowSession } from "./FlowSession.js"
import { lineTestSession } from "./LineTestSession.js"
import { scriptedCallSession } from "./ScriptedCallSession.js"
import type { SessionMessage } from "./SessionMessage.js"
import type { CallMessage } from "./scriptedCallFlow.js"
import { VoiceCallActivity } from "./VoiceCallActivity.js"
import { type OrderingCall, voiceOrderingSession } from "./VoiceOrderingSession.js"
import { VoiceOrders } from "./VoiceOrders.js"
import { WebhookOutbox } from "./WebhookOutbox.js"

export interface NewVoiceCall {
  readonly callType: CallType
  readonly orderId: number
  readonly vendorId: number | null
  readonly riderId: number | null
  readonly phone: string
  readonly language: Language
  readonly details: CallDetails
  /** The seed's request body, forwarded to Nerve in external mode. */
  readonly nerveBody: Record<string, unknown>
}

export interface StartedCall {
  readonly callId: string
  readonly callSid: string | null
  readonly status: string
  readonly message: string
}

/**
 * Why a call was not placed: the upstream (Nerve or Exotel) could not be reached or could not serve now; Exotel
 * refused the request as it stands; the call is in no state to be placed again; or there is no such call.
 */
export type PlacementFailure = "unavailable" | "refused" | "not-retryable" | "missing"

export class PlacementFailed extends Error {
  constructor(
    message: string,
    readonly reason: PlacementFailure,
  ) {
    super(message)
  }
}

export interface VoiceCallsShape {
  readonly mode: CallMode
  readonly start: (call: NewVoiceCall) => Effect.Effect<StartedCall, PlacementFailed>
  /** Delivers a flow event and waits until it is persisted: true if applied, false if repeated or recorded only. */
  readonly apply: (
    callId: string,
    message: Omit<Extract<SessionMessage, { _tag: "Flow" }>, "_tag" | "reply">,
  ) => Effect.Effect<boolean>
  readonly retry: (callId: string) => Effect.Effect<StartedCall, PlacementFailed>
  /** A voice stream for this call connected: attach it and answer. */
  readonly attachStream: (callId: string, link: StreamLink) => Effect.Effect<void>
  readonly send: (callId: string, message: SessionMessage) => Effect.Effect<void>
  /** Tells a live session, and only a live one: a stream's end must not start a session that has finished. */
  readonly notify: (callId: string, message: SessionMessage) => Effect.Effect<void>
  /** A stream an Exotel flow opened with no API call before it: the call starts as it connects. */
  readonly startInbound: (inbound: {
    readonly callType: CallType
    readonly phone: string
    readonly language: Language
    readonly callSid: string
    readonly orderId: number | null
  }) => Effect.Effect<string>
  readonly startLineTest: (callId: string, language: Language, link: StreamLink) => Effect.Effect<void>
  /** A caller on the line for an open voice order: read it back and take 1, 2 or 3. */
  readonly startVoiceOrdering: (callId: string, call: OrderingCall, link: StreamLink) => Effect.Effect<void>
  /** A scheduled or campaign call answered: speak its message, collect what it asks, record the result. */
  readonly startScripted: (callId: string, call: CallMessage, link: StreamLink) => Effect.Effect<void>
  readonly nerve: Option.Option<NerveClientShape>
}

export class VoiceCalls extends Context.Tag("VoiceCalls")<VoiceCalls, VoiceCallsShape>() {}

const callIdFor = (orderId: number, millis: number) =>
  `VC_${orderId}_${millis}_${randomBytes(3).toString("hex")}`

const nervePath = (callType: CallType) =>
  callType === "rider_assignment" || callType === "rider_pickup_ready"
    ? ("/calls/rider-assign" as const)
    : ("/calls/vendor-confirm" as const)

const webSocketUrl = (base: string) => base.replace(/^http/, "ws")

export const VoiceCallsLive = Layer.scoped(
  VoiceCalls,
  Effect.gen(function* () {
    const env = yield* GatewayEnv
    const repo = yield* VoiceCallsRepo
    const registry = yield* CallRegistry
    const tts = yield* TextToSpeech
    const events = yield* DomainEvents
    const activity = yield* VoiceCallActivity
    const settings = yield* Settings
    const placer = yield* CallPlacer
    const outbox = yield* WebhookOutbox
    const orders = yield* VoiceOrders
    const scripted = yield* ScriptedCallsRepo
    const nerve = yield* Effect.serviceOption(NerveClient)
    const credentials = yield* StreamCredentials
    // With no webhook URL a commit queues no outbox row, so there is nothing to wake the sender for: its lease
    // would only take a turn on the database's one connection from the steps behind it.
    const outboxWritten = repo.queuesWebhooks ? outbox.wake : Effect.void
    const scope: Scope.Scope = yield* Effect.scope
    const mode: CallMode = Option.isSome(nerve) ? "external" : "built-in"

    const place = (
      callId: string,
      call: { callType: CallType; phone: string; nerveBody: Record<string, unknown> },
    ) =>
      Effect.gen(function* () {
        if (Option.isSome(nerve)) {
          return yield* nerve.value.place(nervePath(call.callType), {
            ...call.nerveBody,
            callId,
            callbackUrl: `${env.publicBaseUrl}/api/exotel/nerve/callback`,
          })
        }
        return yield* placer.placeStreamCall({
          to: call.phone,
          streamUrl: credentials.urlFor(`${webSocketUrl(env.publicBaseUrl)}${voiceStreamPath}`, {
            _tag: "Call",
            id: callId,
          }),
          statusCallback: `${env.publicBaseUrl}/api/exotel/nerve/exotel-status`,
          customField: callId,
        })
      }).pipe(
        Effect.mapError(
          (e) =>
            new PlacementFailed(
              e.message,
              e._tag === "PlaceCallError" && !e.retryable ? "refused" : "unavailable",
            ),
        ),
      )

    const behaviour = () =>
      flowSession({
        repo,
        tts,
        events,
        settings: settings.current,
        outboxWritten,
        retryDue: (callId, at) => armRetry(callId, at),
        activity: activity.publish,
      })

    // The retry's instant is in the call's row (metadata.nextRetryAt), so a restarted gateway re-arms it; when
    // it falls due the row is claimed first, so of two gateways sharing a database only one places it. A crash
    // between the claim and the placing loses that one retry: at most once, never twice.
    const armRetry = (callId: string, at: string) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        yield* Effect.sleep(Duration.millis(Math.max(0, Date.parse(at) - now)))
        if (!(yield* repo.claimRetry(callId, at))) return
        yield* service.retry(callId)
      }).pipe(
        Effect.catchAll((e) =>
          Effect.logWarning("A scheduled retry could not be placed").pipe(
            Effect.annotateLogs({ callId, error: e.message }),
          ),
        ),
        Effect.forkIn(scope),
        Effect.asVoid,
      )

    const apply: VoiceCallsShape["apply"] = (callId, message) =>
      Effect.gen(function* () {
        const reply = yield* Deferred.make<boolean>()
        yield* registry.deliver(callId, behaviour(), { _tag: "Flow", ...message, reply })
        return yield* Deferred.await(reply).pipe(
          Effect.timeout(Duration.seconds(10)),
          Effect.orElseSucceed(() => false),
        )
      })

    const attempt = (
      callId: string,
      call: { callType: CallType; phone: string; nerveBody: Record<string, unknown> },
    ) =>
      Effect.gen(function* () {
        const placed = yield* place(callId, call).pipe(
          Effect.tapError((e) =>
            apply(callId, {
              event: { _tag: "Hangup", outcome: "failed" },
              source: "api",
              detail: { error: e.message },
            }),
          ),
        )
        yield* repo.setCallSid(callId, placed.callSid)
        return placed
      })

    const service: VoiceCallsShape = {
      mode,
      nerve,
      apply,
      start: (call) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const callId = callIdFor(call.orderId, now)
          const retry = (yield* settings.current).retry
          yield* repo.insert({
            id: callId,
            flow: initialState(call.callType, call.language, 1, retry.maxAttempts),
            details: call.details,
            mode,
            orderId: call.orderId,
            vendorId: call.vendorId,
            riderId: call.riderId,
            phoneNumber: call.phone,
          })
          const placed = yield* attempt(callId, call)
          return { callId, callSid: placed.callSid, status: "initiated", message: "Call initiated" }
        }),
      retry: (callId) =>
        Effect.gen(function* () {
          const stored = yield* repo.find(callId)
          if (Option.isNone(stored))
            return yield* Effect.fail(new PlacementFailed(`No voice call ${callId}`, "missing"))
          const applied = yield* apply(callId, { event: { _tag: "Retry" }, source: "api" })
          if (!applied) {
            return yield* Effect.fail(
              new PlacementFailed(
                `Voice call ${callId} is ${stored.value.record.status}; it cannot be retried`,
                "not-retryable",
              ),
            )
          }
          const record = stored.value.record
          const placed = yield* attempt(callId, {
            callType: stored.value.flow.callType,
            phone: record.phoneNumber,
            nerveBody: {
              orderId: record.orderId,
              phone: record.phoneNumber,
              language: record.language,
              retryOf: callId,
            },
          })
          return { callId, callSid: placed.callSid, status: "initiated", message: "Retry initiated" }
        }),
      attachStream: (callId, link) =>
        Effect.gen(function* () {
          yield* registry.deliver(callId, behaviour(), { _tag: "Attach", link })
          yield* registry.deliver(callId, behaviour(), { _tag: "Flow", event: answered, source: "stream" })
        }),
      startInbound: (inbound) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const callId = callIdFor(inbound.orderId ?? 0, now)
          yield* repo.insert({
            id: callId,
            // Nobody placed it, so nobody will retry it.
            flow: initialState(inbound.callType, inbound.language, 1, 1),
            details: {
              recipientName: null,
              orderId: inbound.orderId,
              orderAmount: null,
              itemCount: null,
              vendorName: null,
              vendorAddress: null,
            },
            mode: "built-in",
            orderId: inbound.orderId,
            vendorId: null,
            riderId: null,
            phoneNumber: inbound.phone.slice(0, 20),
            callSid: inbound.callSid,
          })
          return callId
        }),
      send: (callId, message) => registry.deliver(callId, behaviour(), message),
      notify: (callId, message) => Effect.asVoid(registry.send(callId, message)),
      startLineTest: (callId, language, link) =>
        registry.deliver(callId, lineTestSession(tts, language), { _tag: "Attach", link }),
      startVoiceOrdering: (callId, call, link) =>
        registry.deliver(callId, voiceOrderingSession(orders, tts, call), { _tag: "Attach", link }),
      startScripted: (callId, call, link) =>
        registry.deliver(callId, scriptedCallSession(callId, call, tts, scripted.saveResult), {
          _tag: "Attach",
          link,
        }),
    }
    yield* Effect.forEach(yield* repo.pendingRetries, (r) => armRetry(r.id, r.nextRetryAt), { discard: true })
    return service
  }),
)

const answered: FlowEvent = { _tag: "Answered" }
