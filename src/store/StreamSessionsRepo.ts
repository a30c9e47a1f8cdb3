// Expectations registered by POST /voice-stream/start: a later stream claims one by its sessionId, once. The
// expectation, not the stream, says which order (or voice-order session) the stream's flow is about.
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option } from "effect"
import { makeBatcher } from "./groupCommit.js"

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

export const StreamSessionsRepoLive = Layer.scoped(
  StreamSessionsRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    // Claims of many streams in one statement (groupCommit.ts): hundreds of streams may start in one second.
    const claimMany = (claims: ReadonlyArray<{ readonly sessionId: string; readonly callSid: string }>) =>
      sql<StreamExpectation>`
        UPDATE voice_stream_sessions s SET claimed_at = NOW(), call_sid = x.call_sid
        FROM jsonb_to_recordset(${JSON.stringify(claims.map((c) => ({ session_id: c.sessionId, call_sid: c.callSid })))}::jsonb)
          AS x(session_id text, call_sid text)
        WHERE s.session_id = x.session_id AND s.claimed_at IS NULL
        RETURNING s.session_id, s.phone, s.language, s.flow, s.order_id, s.order_session_id`.pipe(
        Effect.map((rows) => new Map(rows.map((row) => [row.sessionId, Option.some(row)] as const))),
        Effect.orDie,
      )
    const claim = yield* makeBatcher({
      keyOf: (c: { readonly sessionId: string; readonly callSid: string }) => c.sessionId,
      run: claimMany,
      absent: Option.none<StreamExpectation>(),
      maxBatch: 256,
    })
    return StreamSessionsRepo.of({
      register: (e) =>
        sql`INSERT INTO voice_stream_sessions (session_id, phone, language, flow, order_id, order_session_id)
            VALUES (${e.sessionId}, ${e.phone}, ${e.language}, ${e.flow}, ${e.orderId}, ${e.orderSessionId})
            ON CONFLICT DO NOTHING RETURNING session_id`.pipe(
          Effect.map((rows) => rows.length > 0),
          Effect.orDie,
        ),
      claim: (sessionId, callSid) => claim({ sessionId, callSid }),
    })
  }),
)
