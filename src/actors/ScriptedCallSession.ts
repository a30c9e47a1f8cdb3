// The actor of one scripted call (a scheduled call's or an agentless campaign's): feeds the callee's keys to the
// pure flow in scriptedCallFlow.ts and runs what it asks — speak, wait for a key, hang up — then records what the
// call came to. After a crash it starts the message over, which is what a callee would hear on a retry anyway.
import { Effect, Option, Queue, Ref } from "effect"
import type { ScriptResult } from "../store/ScriptedCallsRepo.js"
import type { StreamLink } from "../stream/StreamLink.js"
import { speechOf, type TextToSpeechShape } from "../stream/speech/TextToSpeech.js"
import type { Behaviour } from "./CallRegistry.js"
import { makeSessionVoice } from "./SessionVoice.js"
import {
  type CallMessage,
  initialScriptedState,
  type ScriptedCallCommand,
  type ScriptedCallEvent,
  type ScriptedCallState,
  transition,
} from "./scriptedCallFlow.js"

export const scriptedCallSession = (
  callId: string,
  call: CallMessage,
  tts: TextToSpeechShape,
  record: (result: ScriptResult) => Effect.Effect<void>,
): Behaviour => {
  // Across runs of the behaviour: the registry runs a finished session again for a message that came after its
  // last look at the mailbox (a key, the stream's close); a call that has ended stays ended and recorded once.
  let over = false
  return ({ mailbox, link: linkRef }) =>
    Effect.gen(function* () {
      if (over) return yield* Queue.takeAll(mailbox)
      let link = Option.none<StreamLink>()
      let state: ScriptedCallState = initialScriptedState
      let hangUpAfterSpeech = false
      let prompts = 0
      let keys = ""
      const voice = makeSessionVoice(mailbox, () => link)

      const run = (commands: ReadonlyArray<ScriptedCallCommand>) =>
        Effect.forEach(
          commands,
          (c) =>
            Effect.gen(function* () {
              switch (c._tag) {
                case "Speak": {
                  if (Option.isNone(link)) return
                  const target = link.value
                  prompts++
                  // In the call's own voice, its first sentence playing while the rest are rendered.
                  return yield* voice.speakPieces(
                    target,
                    speechOf(tts, c.text, call.language, target.rate),
                    `script-${prompts}`,
                  )
                }
                case "AwaitDigit":
                  return yield* voice.awaitKey(c.seconds)
                case "EndCall":
                  hangUpAfterSpeech = true
                  return
              }
            }),
          { discard: true },
        )

      const feed = (event: ScriptedCallEvent) =>
        Effect.suspend(() => {
          const step = transition(call, state, event)
          state = step.state
          return run(step.commands)
        })

      const finish = (ending: ScriptResult["endedBy"]) =>
        Effect.gen(function* () {
          over = true
          let endedBy = ending
          // What came while the last words played is part of what the callee did: keys, or hanging up first.
          for (const pending of yield* Queue.takeAll(mailbox)) {
            if (pending._tag === "Detach" || (pending._tag === "Flow" && pending.event._tag === "Hangup"))
              endedBy = "callee"
            if (pending._tag === "Flow" && pending.event._tag === "Digit")
              keys = `${keys}${pending.event.digit}`.slice(-40)
          }
          yield* voice.cancelTimer
          yield* voice.stopSpeaking
          link = Option.none()
          yield* Ref.set(linkRef, link)
          yield* record({ callId, purpose: call.purpose, endedBy, rating: state.rating, keys })
        })

      const attached = yield* Ref.get(linkRef)
      if (Option.isSome(attached)) {
        link = attached
        yield* feed({ _tag: "Answered" })
      }

      while (true) {
        if (hangUpAfterSpeech && Option.isSome(link)) {
          yield* voice.finishSpeaking
          hangUpAfterSpeech = false
          const target = link.value
          yield* finish("gateway")
          yield* target.close
          return
        }
        const message = yield* Queue.take(mailbox)
        switch (message._tag) {
          case "Attach": {
            const fresh = Option.isNone(link)
            link = Option.some(message.link)
            yield* Ref.set(linkRef, link)
            if (fresh) yield* feed({ _tag: "Answered" })
            break
          }
          case "Flow": {
            const event = message.event
            if (event._tag === "Hangup") return yield* finish("callee")
            if (event._tag === "Digit") {
              keys = `${keys}${event.digit}`.slice(-40)
              yield* voice.cancelTimer
              if (state.phase === "asking" || event.digit === "*") yield* voice.stopSpeaking
              yield* feed({ _tag: "Digit", digit: event.digit })
            } else if (event._tag === "Silence") yield* feed({ _tag: "Silence" })
            break
          }
          case "Detach":
            return yield* finish("callee")
          case "Drain":
            return
        }
      }
    }).pipe(Effect.asVoid, Effect.annotateLogs({ callId }))
}
