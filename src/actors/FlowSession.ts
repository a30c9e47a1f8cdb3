// The actor of one Nerve voice call: takes its mailbox one message at a time, moves the pure flow, and runs
// the commands — persist (state, log and outbox rows in one transaction) first, then speak, wait for input,
// publish, hang up, schedule a retry. It reloads its state from the database on every (re)start.
import {
  Clock,
  Deferred,
  Duration,
  Effect,
  Exit,
  Fiber,
  Metric,
  MetricBoundaries,
  Option,
  Queue,
  Ref,
  Stream,
} from "effect"
import type { GatewaySettings } from "../config/settingsCatalog.js"
import type { CallEvent, DomainEventType } from "../domain/VoiceCall.js"
import { isRetryable, retryDelays } from "../policy/retry.js"
import type { StepWritten, StoredCall, VoiceCallsRepoShape } from "../store/VoiceCallsRepo.js"
import { speechOf, type TextToSpeechShape } from "../stream/speech/TextToSpeech.js"
import type { Behaviour } from "./CallRegistry.js"
import { type Command, type FlowState, isEnded, type PromptKey, resume, transition } from "./callFlow.js"
import type { DomainEventsShape } from "./DomainEvents.js"
import { promptText } from "./prompts.js"
import type { SessionMessage } from "./SessionMessage.js"
import { bargedIn, makeSessionVoice } from "./SessionVoice.js"
import type { VoiceCallStep } from "./VoiceCallActivity.js"

export interface FlowSessionDeps {
  readonly repo: VoiceCallsRepoShape
  readonly tts: TextToSpeechShape
  readonly events: DomainEventsShape
  readonly settings: Effect.Effect<GatewaySettings>
  /** Wakes the webhook outbox after a commit that wrote rows to it. */
  readonly outboxWritten: Effect.Effect<void>
  /** Called when a scheduled retry is due; places the next attempt. Runs outside the session. */
  /** A retry of the call is due at this instant (ISO), the one just written to its row. */
  readonly retryDue: (callId: string, at: string) => Effect.Effect<void>
  /** Each applied step, for watchers (VoiceCallActivity). */
  readonly activity: (step: VoiceCallStep) => Effect.Effect<void>
}

/** How many times a step met a newer state and was applied again before the session gives it up. */
const maxStaleRetries = 5

/** How long a session with nothing to do stays in memory; its state is in the database either way. */
export const idleTimeout = Duration.minutes(2)

export const domainEvent = (
  callId: string,
  stored: StoredCall,
  state: FlowState,
  type: DomainEventType,
  occurredAt: string,
): CallEvent => ({
  // Stable across restarts and redeliveries of the same attempt: subscribers de-duplicate by it.
  eventId: `${callId}:${state.attempt}:${type}`,
  type,
  callId,
  callType: state.callType,
  orderId: stored.record.orderId,
  vendorId: stored.record.vendorId,
  riderId: stored.record.riderId,
  prepTimeMinutes: state.prepTimeMinutes,
  reason: state.rejectionReason,
  occurredAt,
})

export const flowSession =
  (deps: FlowSessionDeps): Behaviour =>
  ({ callId, mailbox, link: linkRef, restarts }) =>
    Effect.gen(function* () {
      const loaded = yield* deps.repo.find(callId)
      if (Option.isNone(loaded)) {
        yield* Effect.logWarning("A message for an unknown voice call").pipe(Effect.annotateLogs({ callId }))
        return
      }
      let stored = loaded.value
      let state = stored.flow
      // The row's version this session last read or wrote: its next commit names it.
      let version = stored.version
      let link = yield* Ref.get(linkRef)
      let hangUpAfterSpeech = false

      const voice = makeSessionVoice(mailbox, () => link)

      const closeStream = Effect.suspend(() => {
        const l = link
        link = Option.none()
        return Option.isSome(l)
          ? Effect.zipRight(Ref.set(linkRef, Option.none()), l.value.close)
          : Effect.void
      })

      const speak = (prompts: ReadonlyArray<PromptKey>) =>
        Effect.gen(function* () {
          if (Option.isNone(link)) return
          const target = link.value
          // Sentence by sentence where the engine streams: the first frame leaves once the first sentence exists.
          const texts = prompts.map((key) =>
            promptText(key, state.language, stored.details, state.prepTimeMinutes),
          )
          const { language } = state
          const pieces = Stream.fromIterable(texts).pipe(
            Stream.flatMap((text) => speechOf(deps.tts, text, language, target.rate)),
          )
          yield* voice.speakPieces(target, pieces, `${prompts.at(-1) ?? "prompt"}-${state.reprompts}`)
        })

      /**
       * Once the step's prompt has been heard out, its step again, no longer playing: for watchers. Not when it was
       * cut off or another prompt took its place, since the step that did so says what plays now.
       */
      const reportHeard = (step: VoiceCallStep) =>
        Option.match(voice.speech(), {
          onNone: () => Effect.void,
          onSome: (playing) =>
            // A child of the session's fiber: it goes with the session.
            Effect.fork(
              Effect.flatMap(Fiber.await(playing), (exit) =>
                Exit.isSuccess(exit) && Option.exists(voice.speech(), (now) => now === playing)
                  ? Clock.currentTimeMillis.pipe(
                      Effect.flatMap((millis) =>
                        deps.activity({
                          ...step,
                          key: null,
                          promptPlaying: false,
                          at: new Date(millis).toISOString(),
                        }),
                      ),
                    )
                  : Effect.void,
              ),
            ),
        })

      /** After the prompt has played, wait for a digit; none in time is a Silence. Built-in mode only. */
      const armTimer = (seconds: number) =>
        Option.isNone(link) || stored.mode === "external" ? Effect.void : voice.awaitKey(seconds)

      const attemptFailed = (
        outcome: Extract<Command, { _tag: "AttemptFailed" }>["outcome"],
        settings: GatewaySettings,
      ) =>
        Effect.gen(function* () {
          if (isRetryable(settings.retry, outcome) && state.attempt < state.maxAttempts) {
            const delays = yield* retryDelays(settings.retry)
            return { retryIn: Option.fromNullable(delays[state.attempt - 1]), failed: false }
          }
          return { retryIn: Option.none<Duration.Duration>(), failed: true }
        })

      const handleFlow = (message: Extract<SessionMessage, { _tag: "Flow" }>) =>
        Effect.gen(function* () {
          yield* voice.cancelTimer
          let before = state
          let t = transition(state, message.event)
          let now = ""
          let events: Array<CallEvent> = []
          let applied = false
          let nextRetryAt = Option.none<string>()
          let written: StepWritten = "repeat"
          // Another session of this call (a callback on another process, say) may have committed since this one
          // read the row: then its commit is stale, and the event is applied again to what the other wrote.
          for (let attempt = 1; ; attempt++) {
            now = new Date(yield* Clock.currentTimeMillis).toISOString()
            const settings = yield* deps.settings
            const types = t.commands.flatMap((c) => (c._tag === "Publish" ? [c.type] : []))
            let retryIn = Option.none<Duration.Duration>()
            for (const c of t.commands) {
              if (c._tag !== "AttemptFailed") continue
              const decided = yield* attemptFailed(c.outcome, settings)
              retryIn = decided.retryIn
              if (decided.failed) types.push("VOICE_CALL_FAILED")
            }
            events = types.map((type) => domainEvent(callId, stored, t.state, type, now))
            applied = t.commands.some((c) => c._tag === "Persist")
            const ignored = t.commands.flatMap((c) => (c._tag === "Ignored" ? [c.reason] : []))
            const entry = {
              event:
                message.event._tag === "Digit" ? `digit:${message.event.digit}` : eventName(message.event),
              source: message.source,
              detail:
                ignored.length > 0
                  ? { ignored: ignored.join("; "), ...asRecord(message.detail) }
                  : (message.detail ?? null),
              applied,
              dedupKey: message.dedupKey,
            }
            nextRetryAt = Option.map(retryIn, (d) =>
              new Date(Date.parse(now) + Duration.toMillis(d)).toISOString(),
            )
            written = yield* (
              applied
                ? deps.repo.commit(callId, t.state, version, entry, events, {
                    recordingUrl: message.recordingUrl ?? null,
                    nextRetryAt: Option.getOrNull(nextRetryAt),
                  })
                : Effect.map(
                    deps.repo.log(callId, state.status, entry),
                    (fresh): StepWritten => (fresh ? "fresh" : "repeat"),
                  )
            ).pipe(
              Effect.timed,
              Effect.flatMap(([took, written]) =>
                Effect.as(stepPersisted(Effect.succeed(Duration.toSeconds(took))), written),
              ),
            )
            if (written !== "stale" || attempt >= maxStaleRetries) break
            const reread = yield* deps.repo.find(callId)
            if (Option.isNone(reread)) break
            stored = reread.value
            state = reread.value.flow
            version = reread.value.version
            before = state
            t = transition(state, message.event)
            yield* Effect.logInfo("A step met a newer state of its call, and is applied to that").pipe(
              Effect.annotateLogs({ attempt, status: state.status }),
            )
          }
          const fresh = written === "fresh"
          if (message.reply !== undefined) yield* Deferred.succeed(message.reply, fresh && applied)
          if (!fresh || !applied) return
          version++
          state = t.state
          yield* deps.events.publish(events)
          const prompt = t.commands.flatMap((c) => (c._tag === "Speak" ? c.prompts : [])).at(-1) ?? null
          const step: VoiceCallStep = {
            callId,
            callType: state.callType,
            status: state.status,
            ended: isEnded(state),
            attempt: state.attempt,
            orderId: stored.record.orderId,
            vendorId: stored.record.vendorId,
            riderId: stored.record.riderId,
            key: message.event._tag === "Digit" ? message.event.digit : null,
            prompt,
            promptPlaying: prompt !== null && Option.isSome(link),
            at: now,
          }
          yield* deps.activity(step)
          if (events.length > 0) yield* deps.outboxWritten
          for (const c of t.commands) {
            switch (c._tag) {
              case "Speak":
                yield* speak(c.prompts)
                break
              case "AwaitInput":
                yield* armTimer(c.seconds)
                break
              case "EndCall":
                hangUpAfterSpeech = true
                break
              default:
                break
            }
          }
          if (step.promptPlaying) yield* reportHeard(step)
          if (Option.isSome(nextRetryAt)) yield* deps.retryDue(callId, nextRetryAt.value)
          if (isEnded(state) && !isEnded(before)) {
            yield* Effect.logInfo("Voice call ended").pipe(
              Effect.annotateLogs({ callId, status: state.status }),
            )
          }
        })

      // Restarted mid-question: ask it again, since the prompt and its timer died with the old fiber.
      if (restarts > 0) {
        for (const c of resume(state)) {
          if (c._tag === "Speak") yield* speak(c.prompts)
          if (c._tag === "AwaitInput") yield* armTimer(c.seconds)
        }
      }

      while (true) {
        // Ended and silent: hang up once the goodbye has played, and let the session go.
        if (isEnded(state) && !voice.waiting()) {
          const speech = voice.speech()
          if (Option.isSome(speech)) {
            const next = yield* Effect.raceFirst(
              Effect.map(Fiber.await(speech.value), () => Option.none<SessionMessage>()),
              Effect.map(Queue.take(mailbox), Option.some),
            )
            if (Option.isNone(next)) {
              yield* voice.finishSpeaking
              continue
            }
            yield* onMessage(next.value)
            continue
          }
          if (hangUpAfterSpeech || Option.isSome(link)) {
            hangUpAfterSpeech = false
            yield* closeStream
          }
          const pending = yield* Queue.poll(mailbox)
          if (Option.isNone(pending)) return
          if (!(yield* onMessage(pending.value))) return
          continue
        }
        const next = yield* Queue.take(mailbox).pipe(Effect.timeout(idleTimeout), Effect.option)
        if (Option.isNone(next)) return
        if (!(yield* onMessage(next.value))) return
      }

      function onMessage(message: SessionMessage): Effect.Effect<boolean> {
        switch (message._tag) {
          case "Attach":
            link = Option.some(message.link)
            return Effect.as(Ref.set(linkRef, link), true)
          case "Detach":
            return Effect.gen(function* () {
              yield* voice.cancelTimer
              yield* voice.forgetSpeech
              link = Option.none()
              yield* Ref.set(linkRef, link)
              return true
            })
          case "Drain":
            return Effect.as(Effect.zipRight(voice.cancelTimer, voice.stopSpeaking), false)
          case "CallerSpoke":
            return Effect.as(bargedIn(voice, state.callType), true)
          case "Flow":
            return Effect.as(handleFlow(message), true)
        }
      }
    }).pipe(Effect.annotateLogs({ callId }))

/** A flow's step written down (state, log and outbox in one statement), which its reply waits for. */
export const stepPersisted = Metric.histogram(
  "voice_step_persist_seconds",
  MetricBoundaries.exponential({ start: 0.001, factor: 2, count: 14 }),
  "How long a voice flow's step took to be written down before the session acted on it",
)

const eventName = (event: { readonly _tag: string; readonly outcome?: string }) =>
  event.outcome === undefined ? event._tag.toLowerCase() : `${event._tag.toLowerCase()}:${event.outcome}`

const asRecord = (u: unknown): Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u) ? Object.fromEntries(Object.entries(u)) : {}
