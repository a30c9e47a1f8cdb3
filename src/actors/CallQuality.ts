// Call quality analysis of one call: find the call, fetch its recording through the Exotel client (or take the
// audio kept from its live stream), measure the audio, get a transcript (the request's, else the speech-recognition port's, segment by segment), run the
// requested analysis and store it. The measuring itself is pure (src/policy/cqa).
import { randomBytes } from "node:crypto"
import { Clock, Context, Effect, Layer, Option } from "effect"
import { CqaSettings } from "../config/CqaSettings.js"
import { NotFound, ServiceUnavailable, Unprocessable } from "../domain/errors.js"
import { analyseAcoustics, type TalkSegment } from "../policy/cqa/acoustics.js"
import { type AnalysisType, analyseCall, type CallAnalysis, type Transcript } from "../policy/cqa/analysis.js"
import type { TranscriptSegment } from "../policy/cqa/phrases.js"
import { decodeWav, type Pcm } from "../policy/cqa/wav.js"
import { CallAudioRepo } from "../store/CallAudioRepo.js"
import { CallsRepo } from "../store/CallsRepo.js"
import { CqaResultsRepo } from "../store/CqaResultsRepo.js"
import { VoiceCallsRepo } from "../store/VoiceCallsRepo.js"
import type { SampleRate } from "../stream/protocol.js"
import { SpeechRecognition } from "../stream/speech/SpeechRecognition.js"
import { ExotelClient } from "../upstream/exotel/ExotelClient.js"

export interface AnalyzeRequest {
  readonly callSid: string
  readonly analysisType: AnalysisType
  readonly purpose?: string | undefined
  readonly transcript?: ReadonlyArray<TranscriptSegment> | undefined
}

export interface AnalysisRecord extends CallAnalysis {
  readonly id: string
  readonly callSid: string
  readonly audioSource: "recording" | "stream"
  /** Null when the audio is what the gateway kept of the call's live stream. */
  readonly recordingUrl: string | null
  readonly analyzedAt: string
}

export type AnalyzeFailure = NotFound | Unprocessable | ServiceUnavailable

export interface CallQualityShape {
  readonly analyze: (request: AnalyzeRequest) => Effect.Effect<AnalysisRecord, AnalyzeFailure>
}

export class CallQuality extends Context.Tag("CallQuality")<CallQuality, CallQualityShape>() {}

/** Talk segments sent to speech recognition, at most: a long call is transcribed from its start. */
const maxTranscribedSegments = 60

const speechRates: ReadonlyArray<SampleRate> = [8000, 16000, 24000]
const isSpeechRate = (rate: number): rate is SampleRate => speechRates.some((r) => r === rate)

/** One talk segment as mono PCM16LE bytes (stereo mixed down), the speech port's input. */
const segmentBytes = (pcm: Pcm, segment: TalkSegment): Uint8Array => {
  const from = Math.floor(segment.startSeconds * pcm.sampleRate)
  const to = Math.min(pcm.channels[0]?.length ?? 0, Math.ceil(segment.endSeconds * pcm.sampleRate))
  const out = new Int16Array(Math.max(0, to - from))
  for (let i = 0; i < out.length; i++) {
    let sum = 0
    for (const channel of pcm.channels) sum += channel[from + i] ?? 0
    out[i] = Math.round(sum / pcm.channels.length)
  }
  return new Uint8Array(out.buffer)
}

/** Mono PCM16LE bytes as samples. */
const monoPcm = (bytes: Uint8Array, sampleRate: number): Pcm => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const samples = new Int16Array(Math.floor(bytes.length / 2))
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true)
  return { sampleRate, channels: [samples] }
}

const idOf = (now: number) => `cqa_${now.toString(36)}_${randomBytes(4).toString("hex")}`

export const CallQualityLive = Layer.effect(
  CallQuality,
  Effect.gen(function* () {
    const calls = yield* CallsRepo
    const voiceCalls = yield* VoiceCallsRepo
    const exotel = yield* ExotelClient
    const speech = yield* SpeechRecognition
    const settings = yield* CqaSettings
    const results = yield* CqaResultsRepo
    const streamAudio = yield* CallAudioRepo

    const findCall = (callSid: string) =>
      Effect.gen(function* () {
        const call = yield* calls.find(callSid)
        if (Option.isSome(call))
          return {
            recordingUrl: call.value.recordingUrl,
            purpose: call.value.purpose,
            sid: call.value.callSid,
          }
        const voice = yield* voiceCalls.findByCallSid(callSid)
        if (Option.isSome(voice))
          return {
            recordingUrl: voice.value.record.recordingUrl,
            purpose: voice.value.record.callType,
            sid: voice.value.record.callSid,
          }
        // A stream the gateway answered without placing the call (an inbound flow, a line test) has only its audio.
        if (Option.isSome(yield* streamAudio.find(callSid)))
          return { recordingUrl: null, purpose: null, sid: callSid }
        return yield* new NotFound({ message: `No call with callSid ${callSid}` })
      })

    /** The call's recording through the Exotel client, else the audio kept from its live stream. */
    const audioOf = (callSid: string, recordingUrl: string | null) =>
      Effect.gen(function* () {
        if (recordingUrl === null) {
          const kept = yield* streamAudio.find(callSid)
          if (Option.isNone(kept))
            return yield* new Unprocessable({
              field: "callSid",
              message: `Call ${callSid} has no recording (place it with record: true, and wait until it ends)`,
            })
          return {
            source: "stream" as const,
            pcm: monoPcm(kept.value.pcm, kept.value.sampleRate),
            notes: kept.value.truncated
              ? ["the live stream ran past the kept audio; its start is analysed"]
              : [],
          }
        }
        const bytes = yield* exotel.fetchRecording(recordingUrl).pipe(
          Effect.catchTags({
            ExotelRejected: (e) =>
              new Unprocessable({ field: "callSid", message: `The recording of ${callSid}: ${e.message}` }),
            ExotelUnavailable: (e) => new ServiceUnavailable({ message: e.message }),
          }),
        )
        const wav = decodeWav(bytes)
        if (!wav.ok)
          return yield* new Unprocessable({
            field: "callSid",
            message: `The recording of ${callSid} cannot be analysed: ${wav.reason}`,
          })
        return { source: "recording" as const, pcm: wav.pcm, notes: [] }
      })

    const transcribe = (pcm: Pcm, segments: ReadonlyArray<TalkSegment>) =>
      Effect.gen(function* () {
        const rate = pcm.sampleRate
        if (!isSpeechRate(rate))
          return { segments: [], note: `speech recognition takes 8, 16 or 24 kHz, not ${rate} Hz` }
        const heard: Array<TranscriptSegment> = []
        for (const segment of segments.slice(0, maxTranscribedSegments)) {
          const text = yield* speech.transcribe(segmentBytes(pcm, segment), rate)
          // The built-in engine hears nothing: one empty answer for the first segment means none is configured.
          if (Option.isNone(text) && heard.length === 0 && segment === segments[0])
            return {
              segments: [],
              note: "the request carried no transcript and no speech recognition engine is configured (ASR_URL)",
            }
          if (Option.isSome(text) && text.value.trim().length > 0)
            heard.push({ ...segment, speaker: null, text: text.value })
        }
        return { segments: heard, note: null }
      })

    return CallQuality.of({
      analyze: (request) =>
        Effect.gen(function* () {
          const call = yield* findCall(request.callSid)
          const audio = yield* audioOf(call.sid ?? request.callSid, call.recordingUrl)
          const acoustics = analyseAcoustics(audio.pcm)
          const given = request.transcript ?? []
          const heard =
            given.length > 0
              ? { segments: given, note: null }
              : yield* transcribe(audio.pcm, acoustics.talkSegments)
          const transcript: Transcript = {
            source: given.length > 0 ? "request" : heard.segments.length > 0 ? "speech-recognition" : "none",
            segments: heard.segments,
          }
          const configured = yield* settings.current
          const purpose = request.purpose ?? call.purpose
          const analysis = analyseCall({
            analysisType: request.analysisType,
            acoustics,
            transcript,
            rules: configured.rules,
            purpose,
            notes: [...audio.notes, ...configured.problems, ...(heard.note === null ? [] : [heard.note])],
          })
          const now = yield* Clock.currentTimeMillis
          const record: AnalysisRecord = {
            id: idOf(now),
            callSid: call.sid ?? request.callSid,
            audioSource: audio.source,
            recordingUrl: call.recordingUrl,
            analyzedAt: new Date(now).toISOString(),
            ...analysis,
          }
          yield* results.insert({
            id: record.id,
            callSid: record.callSid,
            audioSource: audio.source,
            analysis,
            purpose,
            result: record,
          })
          return record
        }).pipe(Effect.withSpan("CallQuality.analyze")),
    })
  }),
)
