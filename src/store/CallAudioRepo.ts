// The call_stream_audio rows: the caller's side of a recorded live stream, one per call sid, for CQA.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option, Schema } from "effect"

export interface StreamAudio {
  readonly callSid: string
  readonly sampleRate: number
  readonly pcm: Uint8Array
  readonly truncated: boolean
}

const Row = Schema.Struct({
  callSid: Schema.String,
  sampleRate: Schema.Number,
  pcm: Schema.Uint8ArrayFromSelf,
  truncated: Schema.Boolean,
})

export class CallAudioRepo extends Context.Tag("CallAudioRepo")<
  CallAudioRepo,
  {
    /** A second stream of the same call (a reconnect) replaces the first's audio. */
    readonly save: (audio: StreamAudio) => Effect.Effect<void>
    readonly find: (callSid: string) => Effect.Effect<Option.Option<StreamAudio>>
  }
>() {}

export const CallAudioRepoLive = Layer.effect(
  CallAudioRepo,
  Effect.map(SqlClient.SqlClient, (sql) =>
    CallAudioRepo.of({
      save: (audio) =>
        sql`
          INSERT INTO call_stream_audio (call_sid, sample_rate, pcm, truncated)
          VALUES (${audio.callSid}, ${audio.sampleRate}, ${audio.pcm}, ${audio.truncated})
          ON CONFLICT (call_sid) DO UPDATE SET sample_rate = EXCLUDED.sample_rate, pcm = EXCLUDED.pcm,
            truncated = EXCLUDED.truncated, created_at = NOW()`.pipe(Effect.asVoid, Effect.orDie),
      find: (callSid) =>
        sql`SELECT call_sid, sample_rate, pcm, truncated FROM call_stream_audio WHERE call_sid = ${callSid}`.pipe(
          Effect.flatMap(Schema.decodeUnknown(Schema.Array(Row))),
          Effect.map((rows) => Option.fromNullable(rows[0])),
          Effect.orDie,
        ),
    }),
  ),
)
