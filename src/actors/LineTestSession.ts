// The operators' audio-path check: every key pressed is answered at once by a short prompt reading it back.
// Nothing is persisted; a new key cuts the previous read-back short (clear), as barge-in would.
import { Clock, Effect, Fiber, Option, Queue } from "effect"
import type { Language } from "../domain/VoiceCall.js"
import { outboundClear } from "../stream/protocol.js"
import { play, sendWhole } from "../stream/Speaker.js"
import type { StreamLink } from "../stream/StreamLink.js"
import type { TextToSpeechShape } from "../stream/speech/TextToSpeech.js"
import type { Behaviour } from "./CallRegistry.js"
import { digitReadback } from "./prompts.js"

export const lineTestSession =
  (tts: TextToSpeechShape, language: Language): Behaviour =>
  ({ mailbox }) =>
    Effect.gen(function* () {
      let link = Option.none<StreamLink>()
      let speaking = Option.none<Fiber.RuntimeFiber<void>>()
      // A one-chunk read-back is sent whole, with no fiber to wait out its playback: when it will have played.
      let playingUntil = 0
      let presses = 0
      const stop = Effect.suspend(() => {
        const s = speaking
        speaking = Option.none()
        return Option.isSome(s) ? Fiber.interrupt(s.value) : Effect.void
      })
      while (true) {
        const message = yield* Queue.take(mailbox)
        switch (message._tag) {
          case "Attach":
            link = Option.some(message.link)
            break
          case "Flow": {
            const event = message.event
            if (event._tag === "Hangup") {
              yield* stop
              return
            }
            if (event._tag !== "Digit" || Option.isNone(link)) break
            const target = link.value
            const now = yield* Clock.currentTimeMillis
            if ((Option.isSome(speaking) && speaking.value.unsafePoll() === null) || now < playingUntil) {
              yield* stop
              playingUntil = 0
              yield* target.send(outboundClear(target.streamSid))
            }
            presses++
            const pcm = yield* tts.synthesize(digitReadback(event.digit, language), language, target.rate)
            const whole = yield* sendWhole(target, pcm, `digit-${presses}`)
            if (Option.isSome(whole)) playingUntil = now + whole.value
            else speaking = Option.some(yield* Effect.fork(play(target, pcm, `digit-${presses}`)))
            break
          }
          case "Detach":
          case "Drain":
            yield* stop
            return
        }
      }
    })
