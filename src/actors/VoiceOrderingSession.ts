// The actor of one voice-ordering call: feeds the caller's keys to the pure keypad flow and runs what it
// asks — speak, wait for input, act on the order through VoiceOrders (the same path as the REST endpoint, so
// the order session, its log and its event agree whichever way the order was placed), hang up. It keeps no
// state of its own beyond the call: after a crash it re-reads the order session and reads it back again.
import { Effect, Either, Option, Queue, Ref } from "effect"
import type { Language } from "../domain/VoiceCall.js"
import { concatPcm } from "../stream/audio.js"
import type { StreamLink } from "../stream/StreamLink.js"
import type { TextToSpeechShape } from "../stream/speech/TextToSpeech.js"
import type { Behaviour } from "./CallRegistry.js"
import {
  type OrderCallCommand,
  type OrderCallEvent,
  type OrderCallState,
  openingState,
  transition,
} from "./orderCallFlow.js"
import { orderLineText } from "./orderPrompts.js"
import { bargedIn, makeSessionVoice } from "./SessionVoice.js"
import type { VoiceOrdersShape } from "./VoiceOrders.js"

export interface OrderingCall {
  readonly orderSessionId: string
  readonly language: Language
  readonly callSid: string
}

export const voiceOrderingSession =
  (orders: VoiceOrdersShape, tts: TextToSpeechShape, call: OrderingCall): Behaviour =>
  ({ mailbox, link: linkRef }) =>
    Effect.gen(function* () {
      let link = Option.none<StreamLink>()
      let state: OrderCallState = openingState
      let hangUpAfterSpeech = false
      // Every key of the call, kept with each action in the order's log.
      let keys = ""

      const voice = makeSessionVoice(mailbox, () => link)

      const run = (commands: ReadonlyArray<OrderCallCommand>): Effect.Effect<void> =>
        Effect.gen(function* () {
          for (const c of commands) {
            switch (c._tag) {
              case "Speak": {
                if (Option.isNone(link)) break
                const target = link.value
                const audio = yield* Effect.forEach(c.lines, (line) =>
                  tts.synthesize(orderLineText(line, call.language), call.language, target.rate),
                )
                yield* voice.speak(target, concatPcm(audio), `order-${c.lines.at(-1)?._tag ?? "prompt"}`)
                break
              }
              case "AwaitInput": {
                yield* voice.awaitKey(c.seconds)
                break
              }
              case "Act": {
                const outcome = yield* orders
                  .act(call.orderSessionId, c.command, {
                    channel: "voice",
                    callSid: call.callSid,
                    detail: { keys },
                  })
                  .pipe(Effect.either)
                yield* feed({
                  _tag: "Acted",
                  outcome: Either.isRight(outcome)
                    ? { ok: true, session: outcome.right }
                    : { ok: false, why: outcome.left.message },
                })
                break
              }
              case "EndCall":
                hangUpAfterSpeech = true
                break
            }
          }
        })

      const feed = (event: OrderCallEvent): Effect.Effect<void> =>
        Effect.suspend(() => {
          const t = transition(state, event)
          state = t.state
          return run(t.commands)
        })

      const open = Effect.gen(function* () {
        const session = yield* orders.find(call.orderSessionId)
        yield* feed({ _tag: "Opened", session: Option.getOrNull(session) })
      })

      // The stream is gone for good: forget it, so a run for a message that came after (the bridge sends a
      // Detach after the Hangup) does not speak into a closed socket, where a write waits forever.
      const hangUp = Effect.gen(function* () {
        yield* voice.cancelTimer
        yield* voice.stopSpeaking
        link = Option.none()
        yield* Ref.set(linkRef, link)
      })

      // Reconnected to a stream after a restart: start over from the order as stored.
      const attached = yield* Ref.get(linkRef)
      if (Option.isSome(attached)) {
        link = attached
        yield* open
      }

      while (true) {
        if (hangUpAfterSpeech && Option.isSome(link)) {
          yield* voice.finishSpeaking
          hangUpAfterSpeech = false
          yield* link.value.close
          // The bridge answers the close with a Hangup and a Detach; they end this loop.
        }
        const message = yield* Queue.take(mailbox)
        switch (message._tag) {
          case "Attach": {
            const fresh = Option.isNone(link)
            link = Option.some(message.link)
            yield* Ref.set(linkRef, link)
            if (fresh) yield* open
            break
          }
          case "Flow": {
            const event = message.event
            if (event._tag === "Hangup") {
              yield* hangUp
              return
            }
            if (event._tag === "Digit") {
              keys = `${keys}${event.digit}`.slice(-40)
              yield* voice.cancelTimer
              yield* feed({ _tag: "Digit", digit: event.digit })
            } else if (event._tag === "Silence") {
              yield* feed({ _tag: "Silence" })
            }
            break
          }
          case "CallerSpoke":
            yield* bargedIn(voice, "voice_ordering")
            break
          case "Detach":
          case "Drain":
            yield* hangUp
            return
        }
      }
    }).pipe(Effect.annotateLogs({ orderSessionId: call.orderSessionId }))
