// What every call session does with its voice: one prompt plays at a time (a new prompt, or a key pressed, cuts
// it off and clears what Exotel has buffered), and one timer, started once the prompt has been heard, turns the
// callee's silence into a Silence event in the session's own mailbox. Owned by the session's fiber; no locks.
import { Duration, Effect, Fiber, Metric, Option, Queue, type Stream } from "effect"
import { outboundClear } from "../stream/protocol.js"
import { play, playPieces } from "../stream/Speaker.js"
import type { StreamLink } from "../stream/StreamLink.js"
import type { SessionMessage } from "./SessionMessage.js"

export interface SessionVoice {
  /** Plays the audio into the stream, cutting off whatever was playing. */
  readonly speak: (target: StreamLink, pcm: Uint8Array, mark: string) => Effect.Effect<void>
  /** As `speak`, for audio that arrives piece by piece: it starts with the first piece. */
  readonly speakPieces: (
    target: StreamLink,
    pieces: Stream.Stream<Uint8Array>,
    mark: string,
  ) => Effect.Effect<void>
  /** Cuts off what is playing and tells Exotel to drop the audio it still holds. */
  readonly stopSpeaking: Effect.Effect<void>
  /**
   * The caller talked over a prompt: cut it off as a key would, and answer the mark of the prompt cut short (what
   * the caller was hearing); none when nothing was playing.
   */
  readonly bargeIn: Effect.Effect<Option.Option<string>>
  /** Cuts off what is playing without a word to the stream: for when the stream is already gone. */
  readonly forgetSpeech: Effect.Effect<void>
  /** Once what is playing has been heard, waits this long for a key; none in time is a Silence. */
  readonly awaitKey: (seconds: number) => Effect.Effect<void>
  readonly cancelTimer: Effect.Effect<void>
  /** The prompt playing now, if any; its fiber ends when the prompt has been heard. */
  readonly speech: () => Option.Option<Fiber.RuntimeFiber<void>>
  readonly waiting: () => boolean
  /** Waits for what is playing to be heard. */
  readonly finishSpeaking: Effect.Effect<void>
}

export const makeSessionVoice = (
  mailbox: Queue.Enqueue<SessionMessage>,
  currentLink: () => Option.Option<StreamLink>,
): SessionVoice => {
  let speaking = Option.none<Fiber.RuntimeFiber<void>>()
  let playingMark = ""
  let timer = Option.none<Fiber.RuntimeFiber<void>>()

  const cancelTimer = Effect.suspend(() => {
    const t = timer
    timer = Option.none()
    return Option.isSome(t) ? Fiber.interrupt(t.value) : Effect.void
  })

  const forgetSpeech = Effect.suspend(() => {
    const s = speaking
    speaking = Option.none()
    return Option.isSome(s) ? Fiber.interrupt(s.value) : Effect.void
  })

  // A prompt that has finished playing has nothing left at Exotel to clear.
  const stopSpeaking = Effect.suspend(() => {
    const s = speaking
    const link = currentLink()
    if (Option.isNone(s) || s.value.unsafePoll() !== null || Option.isNone(link)) return forgetSpeech
    return Effect.zipRight(forgetSpeech, link.value.send(outboundClear(link.value.streamSid)))
  })

  const startSpeaking = (playing: Effect.Effect<void>, mark: string) =>
    Effect.zipRight(
      stopSpeaking,
      Effect.flatMap(Effect.fork(playing), (fiber) =>
        Effect.sync(() => {
          speaking = Option.some(fiber)
          playingMark = mark
        }),
      ),
    )

  return {
    speak: (target, pcm, mark) => startSpeaking(play(target, pcm, mark), mark),
    speakPieces: (target, pieces, mark) => startSpeaking(playPieces(target, pieces, mark), mark),
    stopSpeaking,
    bargeIn: Effect.suspend(() => {
      const s = speaking
      if (Option.isNone(s) || s.value.unsafePoll() !== null) return Effect.succeed(Option.none<string>())
      return Effect.as(stopSpeaking, Option.some(playingMark))
    }),
    forgetSpeech,
    awaitKey: (seconds) =>
      Effect.zipRight(
        cancelTimer,
        Effect.suspend(() => {
          const playing = speaking
          return Effect.flatMap(
            Effect.fork(
              Effect.gen(function* () {
                if (Option.isSome(playing)) yield* Fiber.await(playing.value)
                yield* Effect.sleep(Duration.seconds(seconds))
                yield* Queue.offer(mailbox, { _tag: "Flow", event: { _tag: "Silence" }, source: "timer" })
              }),
            ),
            (fiber) =>
              Effect.sync(() => {
                timer = Option.some(fiber)
              }),
          )
        }),
      ),
    cancelTimer,
    speech: () => speaking,
    waiting: () => Option.isSome(timer),
    finishSpeaking: Effect.suspend(() => {
      const s = speaking
      speaking = Option.none()
      return Option.isSome(s) ? Effect.asVoid(Fiber.await(s.value)) : Effect.void
    }),
  }
}

/** Prompts the caller talked over, by flow. */
export const bargeIns = Metric.counter("voice_barge_ins_total", {
  description: "Prompts cut off because the caller started talking over them, by flow",
})

/** A session's answer to the caller talking: the prompt playing is cut off, counted, and what it was logged. */
export const bargedIn = (voice: SessionVoice, flow: string) =>
  Effect.flatMap(voice.bargeIn, (cut) =>
    Option.match(cut, {
      onNone: () => Effect.void,
      onSome: (mark) =>
        Effect.zipRight(
          Metric.increment(Metric.tagged(bargeIns, "flow", flow)),
          Effect.logInfo("The caller talked over a prompt; it was cut off").pipe(
            Effect.annotateLogs({ prompt: mark, flow }),
          ),
        ),
    }),
  )
