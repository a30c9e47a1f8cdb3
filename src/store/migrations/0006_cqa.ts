// Call quality analyses, one row each: the figures GET /cqa/stats aggregates in columns (so the aggregate
// never parses JSON), the whole result in `result` for reading back. And the one index the other stats
// endpoints lacked: GET /calls/stats reads a period of sms_messages by created_at. And the audio of recorded
// live streams.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE cqa_results (
      id VARCHAR(40) PRIMARY KEY,
      call_sid VARCHAR(255) NOT NULL,
      analysis_type VARCHAR(20) NOT NULL CHECK (analysis_type IN ('sentiment', 'keywords', 'compliance', 'full')),
      audio_source VARCHAR(20) NOT NULL CHECK (audio_source IN ('recording', 'stream')),
      transcript_source VARCHAR(20) NOT NULL CHECK (transcript_source IN ('request', 'speech-recognition', 'none')),
      purpose VARCHAR(40),
      duration_seconds DOUBLE PRECISION NOT NULL,
      talk_seconds DOUBLE PRECISION NOT NULL,
      longest_silence_seconds DOUBLE PRECISION NOT NULL,
      overlap_seconds DOUBLE PRECISION,
      interruptions INTEGER,
      clipping_ratio DOUBLE PRECISION NOT NULL,
      rms_dbfs DOUBLE PRECISION,
      sentiment_label VARCHAR(10) CHECK (sentiment_label IN ('positive', 'neutral', 'negative')),
      sentiment_score DOUBLE PRECISION,
      compliance_passed BOOLEAN,
      missing_phrases TEXT[] NOT NULL DEFAULT '{}',
      keywords TEXT[] NOT NULL DEFAULT '{}',
      result JSONB NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
    )`
  // The stats read one period: a range scan on created_at.
  yield* sql`CREATE INDEX cqa_results_created_idx ON cqa_results (created_at)`
  yield* sql`CREATE INDEX cqa_results_call_idx ON cqa_results (call_sid, created_at DESC)`
  yield* sql`CREATE INDEX sms_messages_created_idx ON sms_messages (created_at)`
  // The caller's audio of a live stream that asked to be recorded (bounded by the stream's buffer), for CQA.
  yield* sql`
    CREATE TABLE call_stream_audio (
      call_sid VARCHAR(255) PRIMARY KEY,
      sample_rate INTEGER NOT NULL,
      pcm BYTEA NOT NULL,
      truncated BOOLEAN NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
    )`
})
