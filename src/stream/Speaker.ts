// Plays PCM into a stream at real-time pace: one chunk, then the next when the first has played, never a
// whole prompt at once (a multi-second blob was linked to hang-ups), and a mark after the last chunk so the
// session knows what the caller heard. Interrupt the fiber to cut a prompt short, then send `clear`.
import { Clock, Effect, Metric, MetricBoundaries, Option, Stream } from "effect"
import { concatPcm, frameOutbound, minChunkBytes, playMillis, toBase64 } from "./audio.js"
import { outboundMark, outboundMedia } from "./protocol.js"
import type { StreamLink } from "./StreamLink.js"

export const play = (link: StreamLink, pcm: Uint8Array, markName: string) =>
  Effect.gen(function* () {
    const chunks = frameOutbound(pcm)
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i]
      if (chunk === undefined) continue
      yield* link.send(outboundMedia(link.streamSid, toBase64(chunk)))
      // Keep one chunk queued ahead at Exotel: sleep for the chunk before last, so playback never starves.
      if (i > 0 || chunks.length === 1) yield* Effect.sleep(playMillis(chunk.length, link.rate))
    }
    yield* link.send(outboundMark(link.streamSid, markName))
  })

/** From a prompt being due (its session asked for it) to its first frame sent: its speech's first sentence. */
export const promptFirstFrame = Metric.histogram(
  "voice_prompt_first_frame_seconds",
  MetricBoundaries.exponential({ start: 0.001, factor: 2, count: 14 }),
  "From a flow's prompt being due to its first audio frame sent",
)

/**
 * As `play`, for a prompt that arrives in pieces (a sentence at a time, as the engine speaks them): its first chunk
 * leaves as soon as its first piece exists. Pieces are framed end to end, so only the prompt's last chunk is
 * padded; a piece late for its turn leaves a pause, never a gap inside a sentence.
 */
export const playPieces = (link: StreamLink, pieces: Stream.Stream<Uint8Array>, markName: string) =>
  Effect.gen(function* () {
    const due = yield* Clock.currentTimeMillis
    let sent = 0
    let firstChunkBytes = 0
    let held = new Uint8Array()
    const sendChunk = (chunk: Uint8Array) =>
      Effect.gen(function* () {
        yield* link.send(outboundMedia(link.streamSid, toBase64(chunk)))
        // One chunk queued ahead at Exotel, as `play` keeps it.
        if (sent > 0) yield* Effect.sleep(playMillis(chunk.length, link.rate))
        else {
          firstChunkBytes = chunk.length
          const now = yield* Clock.currentTimeMillis
          yield* promptFirstFrame(Effect.succeed((now - due) / 1000))
        }
        sent++
      })
    yield* Stream.runForEach(pieces, (piece) =>
      Effect.gen(function* () {
        const pcm = held.length === 0 ? piece : concatPcm([held, piece])
        const whole = pcm.length - (pcm.length % minChunkBytes)
        for (let offset = 0; offset < whole; offset += minChunkBytes)
          yield* sendChunk(pcm.subarray(offset, offset + minChunkBytes))
        held = pcm.slice(whole)
      }),
    )
    for (const chunk of frameOutbound(held)) yield* sendChunk(chunk)
    if (sent === 1) yield* Effect.sleep(playMillis(firstChunkBytes, link.rate))
    yield* link.send(outboundMark(link.streamSid, markName))
  })

/**
 * A prompt of one chunk needs no pacing: its audio and its mark go at once, Exotel plays them in order and echoes
 * the mark once the audio has played, and no fiber waits out the playback. Answers how long it plays; none (and
 * nothing sent) for a longer prompt, which `play` must pace.
 */
export const sendWhole = (link: StreamLink, pcm: Uint8Array, markName: string) =>
  Effect.suspend(() => {
    const chunks = frameOutbound(pcm)
    const only = chunks.length === 1 ? chunks[0] : undefined
    if (only === undefined) return Effect.succeed(Option.none<number>())
    return Effect.as(
      Effect.zipRight(
        link.send(outboundMedia(link.streamSid, toBase64(only))),
        link.send(outboundMark(link.streamSid, markName)),
      ),
      Option.some(playMillis(only.length, link.rate)),
    )
  })
