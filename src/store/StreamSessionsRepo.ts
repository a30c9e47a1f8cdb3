// Expectations registered by POST /voice-stream/start: a later stream claims one by its sessionId, once. The
// expectation, not the stream, says which order (or voice-order session) the stream's flow is about.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option } from "effect"

export interface StreamExpectation {
  readonly sessionId: string
  readonly phone: string
  readonly language: string
  readonly flow: string
  readonly orderId: number | null
  readonly orderSessionId: string | null
}

export interface StreamSessionsRepoShape {
  /** False when the session id is already registered. */
  readonly register: (expectation: StreamExpectation) => Effect.Effect<boolean>
  /** The expectation, marked claimed by this stream; none if unknown or already claimed. */
  readonly claim: (sessionId: string, callSid: string) => Effect.Effect<Option.Option<StreamExpectation>>
}

export class StreamSessionsRepo extends Context.Tag("StreamSessionsRepo")<
  StreamSessionsRepo,
  StreamSessionsRepoShape
>() {}

export const StreamSessionsRepoLive = Layer.effect(
  StreamSessionsRepo,
  Effect.map(SqlClient.SqlClient, (sql) =>
    StreamSessionsRepo.of({
      register: (e) =>
        sql`INSERT INTO voice_stream_sessions (session_id, phone, language, flow, order_id, order_session_id)
            VALUES (${e.sessionId}, ${e.phone}, ${e.language}, ${e.flow}, ${e.orderId}, ${e.orderSessionId})
            ON CONFLICT DO NOTHING RETURNING session_id`.pipe(
          Effect.map((rows) => rows.length > 0),
          Effect.orDie,
        ),
      claim: (sessionId, callSid) =>
        sql<StreamExpectation>`
          UPDATE voice_stream_sessions SET claimed_at = NOW(), call_sid = ${callSid}
          WHERE session_id = ${sessionId} AND claimed_at IS NULL
          RETURNING session_id, phone, language, flow, order_id, order_session_id`.pipe(
          Effect.map((rows) => Option.fromNullable(rows[0])),
          Effect.orDie,
        ),
    }),
  ),
)
