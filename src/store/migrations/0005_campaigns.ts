// Campaigns, their contacts (the runner's work queue), every dialer decision, and the agents who take the calls.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE campaigns (
      id VARCHAR(40) PRIMARY KEY,
      name VARCHAR(200) NOT NULL,
      type VARCHAR(20) NOT NULL DEFAULT 'outbound',
      template TEXT,
      purpose VARCHAR(40) NOT NULL,
      dialer_type VARCHAR(20) NOT NULL,
      schedule_at TIMESTAMPTZ NOT NULL,
      retry_config JSONB NOT NULL,
      pacing_config JSONB NOT NULL,
      error_rate_bound DOUBLE PRECISION NOT NULL,
      caller_id VARCHAR(20) NOT NULL,
      agent_line VARCHAR(20),
      priority INTEGER NOT NULL DEFAULT 5,
      tags JSONB NOT NULL DEFAULT '[]',
      status VARCHAR(20) NOT NULL CHECK (status IN ('active', 'paused', 'completed', 'cancelled')),
      status_reason TEXT,
      -- The error rate is measured over attempts resolved since this instant: a resume starts afresh.
      errors_since TIMESTAMPTZ NOT NULL,
      total_contacts INTEGER NOT NULL,
      created_at TIMESTAMPTZ NOT NULL,
      updated_at TIMESTAMPTZ NOT NULL
    )`
  yield* sql`CREATE INDEX campaigns_status_idx ON campaigns (status, created_at DESC)`
  yield* sql`
    CREATE TABLE campaign_contacts (
      id BIGSERIAL PRIMARY KEY,
      campaign_id VARCHAR(40) NOT NULL REFERENCES campaigns (id),
      phone VARCHAR(20) NOT NULL,
      name VARCHAR(200),
      metadata JSONB NOT NULL DEFAULT '{}',
      message TEXT,
      state VARCHAR(20) NOT NULL CHECK (state IN ('pending', 'accepted', 'dialling', 'done')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TIMESTAMPTZ NOT NULL,
      last_outcome VARCHAR(20),
      current_call_id VARCHAR(40),
      agent_id VARCHAR(40),
      answered BOOLEAN NOT NULL DEFAULT FALSE,
      updated_at TIMESTAMPTZ NOT NULL
    )`
  // The claim: a campaign's due contacts in a state, oldest due first.
  yield* sql`CREATE INDEX campaign_contacts_due_idx ON campaign_contacts (campaign_id, state, next_attempt_at, id)`
  yield* sql`CREATE INDEX campaign_contacts_call_idx ON campaign_contacts (current_call_id)`
  yield* sql`
    CREATE TABLE campaign_attempts (
      id BIGSERIAL PRIMARY KEY,
      campaign_id VARCHAR(40) NOT NULL REFERENCES campaigns (id),
      contact_id BIGINT NOT NULL REFERENCES campaign_contacts (id),
      attempt INTEGER NOT NULL,
      call_id VARCHAR(40),
      decision VARCHAR(20) NOT NULL,
      outcome VARCHAR(20),
      agent_id VARCHAR(40),
      next_attempt_at TIMESTAMPTZ,
      detail TEXT,
      at TIMESTAMPTZ NOT NULL
    )`
  yield* sql`CREATE INDEX campaign_attempts_campaign_idx ON campaign_attempts (campaign_id, decision, at)`
  yield* sql`
    CREATE TABLE agents (
      id VARCHAR(40) PRIMARY KEY,
      name VARCHAR(100) NOT NULL,
      phone VARCHAR(20) NOT NULL,
      status VARCHAR(10) NOT NULL CHECK (status IN ('free', 'busy', 'offline')),
      campaign_id VARCHAR(40) REFERENCES campaigns (id),
      current_call_id VARCHAR(40),
      updated_at TIMESTAMPTZ NOT NULL
    )`
  yield* sql`CREATE INDEX agents_campaign_idx ON agents (campaign_id, status)`
})
