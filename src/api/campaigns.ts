// Campaigns and the auto-dialer: create, read, statistics, pause/resume/cancel, and preview decisions.
// The request and response schemas; the endpoints are src/http/api/CampaignsApi.ts.
import { Schema } from "effect"
import { JsonValue } from "../domain/JsonValue.js"

export const CampaignView = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  type: Schema.String,
  template: Schema.NullOr(Schema.String),
  purpose: Schema.String,
  /** The language its script is spoken in. */
  language: Schema.Literal("hi", "en"),
  dialerType: Schema.String,
  schedule: Schema.String,
  retryConfig: JsonValue,
  pacing: JsonValue,
  errorRateBound: Schema.Number,
  callerId: Schema.String,
  agentLine: Schema.NullOr(Schema.String),
  priority: Schema.Number,
  tags: Schema.Array(Schema.String),
  status: Schema.String,
  statusReason: Schema.NullOr(Schema.String),
  totalContacts: Schema.Number,
  createdAt: Schema.String,
  updatedAt: Schema.String,
}).annotations({ identifier: "Campaign" })

export const CampaignStatsView = Schema.Struct({
  campaignId: Schema.String,
  status: Schema.String,
  total: Schema.Number,
  dialled: Schema.Number,
  /**
   * Attempts claimed by a process that died before Exotel answered, settled without knowing whether they were
   * dialled (by versions before crashed placements were looked up at Exotel; now none).
   */
  uncertain: Schema.Number,
  /** Attempts whose placing process died before Exotel answered, and whose call was found at Exotel. */
  adopted: Schema.Number,
  /** Attempts whose placing process died before its request reached Exotel, placed again for the same attempt. */
  redialled: Schema.Number,
  answered: Schema.Number,
  completed: Schema.Number,
  failed: Schema.Number,
  abandoned: Schema.Number,
  skipped: Schema.Number,
  pending: Schema.Number,
  answerRate: Schema.Number,
  abandonRate: Schema.Number,
  progress: Schema.Number,
}).annotations({ identifier: "CampaignStats" })

export const PreviewContactView = Schema.Struct({
  contactId: Schema.String,
  phone: Schema.String,
  name: Schema.NullOr(Schema.String),
  message: Schema.NullOr(Schema.String),
  metadata: JsonValue,
  attempts: Schema.Number,
}).annotations({ identifier: "PreviewContact" })

export const PreviewDecision = Schema.Struct({
  agentId: Schema.String.pipe(Schema.minLength(1, { message: () => "must not be empty" })),
  contactId: Schema.String.pipe(Schema.pattern(/^[0-9]+$/, { message: () => "must be a contact id" })),
  decision: Schema.Literal("accept", "skip"),
}).annotations({ identifier: "PreviewDecision", parseOptions: { errors: "all" } })

export const CampaignList = Schema.Struct({ campaigns: Schema.Array(CampaignView) }).annotations({
  identifier: "CampaignList",
})

/** The next contact waiting for an agent's decision; null when none is due. */
export const PreviewOffer = Schema.Struct({ contact: Schema.NullOr(PreviewContactView) }).annotations({
  identifier: "PreviewOffer",
})

export const PreviewDecided = Schema.Struct({
  contactId: Schema.String,
  decision: Schema.String,
}).annotations({
  identifier: "PreviewDecided",
})

export const CampaignBudgetShare = Schema.Struct({
  campaignId: Schema.String,
  name: Schema.String,
  status: Schema.String,
  /** Exotel call requests the campaign made in the window: its dials, and redials of a dead placer's attempts. */
  requests: Schema.Number,
  /** requests ÷ the per-minute limit, to three decimals; null when no budget is kept (limit 0). */
  share: Schema.NullOr(Schema.Number),
}).annotations({ identifier: "CampaignBudgetShare" })

export const CampaignsRateBudget = Schema.Struct({
  at: Schema.String,
  windowSeconds: Schema.Number,
  /** The account's limit (setting exotel-rate-limit-per-minute); 0: no budget is kept. */
  limitPerMinute: Schema.Number,
  campaigns: Schema.Array(CampaignBudgetShare),
  used: Schema.Struct({
    campaigns: Schema.Number,
    /** Calls of every other kind the gateway placed in the window (click-to-call, verified, scheduled, voice AI). */
    otherCalls: Schema.Number,
    total: Schema.Number,
  }),
  remaining: Schema.NullOr(Schema.Number),
}).annotations({
  identifier: "CampaignsRateBudget",
  description:
    "Counted from the calls recorded in the last minute, one Exotel request per call placed; SMS, WhatsApp and " +
    "look-ups also draw from the budget and are not in these figures.",
})
