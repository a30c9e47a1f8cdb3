// Runs the schema migrations at start; every later table is a new numbered file here. A database runs only
// the ids above the latest it has applied, so a new migration always takes the next number up.
import { NodeContext } from "@effect/platform-node"
import { Migrator } from "@effect/sql"
import { PgMigrator } from "@effect/sql-pg"
import { Layer } from "effect"
import foundation from "./migrations/0001_foundation.js"
import messaging from "./migrations/0002_messaging.js"
import voiceSessions from "./migrations/0003_voice_sessions.js"
import scheduledCalls from "./migrations/0004_scheduled_calls.js"
import campaigns from "./migrations/0005_campaigns.js"
import cqa from "./migrations/0006_cqa.js"
import voiceOrders from "./migrations/0007_voice_orders.js"
import whatsAppStatus from "./migrations/0008_whatsapp_status.js"
import callScriptResults from "./migrations/0009_call_script_results.js"
import apiKeyLimits from "./migrations/0010_api_key_limits.js"
import voiceCallAttempts from "./migrations/0012_voice_call_attempts.js"
import streamAuth from "./migrations/0013_stream_auth.js"
import exotelRateBudget from "./migrations/0014_exotel_rate_budget.js"
import recordedPrompts from "./migrations/0015_recorded_prompts.js"
import callLanguages from "./migrations/0016_call_languages.js"

export const migrations = Migrator.fromRecord({
  "0001_foundation": foundation,
  "0002_messaging": messaging,
  "0003_voice_sessions": voiceSessions,
  "0004_scheduled_calls": scheduledCalls,
  "0005_campaigns": campaigns,
  "0006_cqa": cqa,
  "0007_voice_orders": voiceOrders,
  "0008_whatsapp_status": whatsAppStatus,
  "0009_call_script_results": callScriptResults,
  "0010_api_key_limits": apiKeyLimits,
  "0012_voice_call_attempts": voiceCallAttempts,
  "0013_stream_auth": streamAuth,
  "0014_exotel_rate_budget": exotelRateBudget,
  "0015_recorded_prompts": recordedPrompts,
  "0016_call_languages": callLanguages,
})

export const MigrationsLive = PgMigrator.layer({ loader: migrations }).pipe(Layer.provide(NodeContext.layer))
