// Campaigns: the seed's request body, the dialer types, and the states a campaign and its contacts go through.
import { Schema } from "effect"
import { CallPurpose } from "./CallPurpose.js"
import { ExoPhone } from "./ExoPhone.js"
import { JsonObject } from "./JsonValue.js"
import { PhoneNumber } from "./PhoneNumber.js"
import { RetryConfig } from "./Retry.js"
import { Language } from "./VoiceCall.js"

const all = { parseOptions: { errors: "all" } } as const

/** The four dialers of the seed, and agentless: a call per contact paced only by a concurrency cap. */
export const campaignDialers = ["preview", "progressive", "predictive", "pace", "agentless"] as const
export type CampaignDialer = (typeof campaignDialers)[number]

export const CampaignDialer = Schema.Literal(...campaignDialers).annotations({
  message: (issue) => ({
    message: `must be one of ${campaignDialers.join(", ")}, got ${JSON.stringify(issue.actual)}`,
    override: true,
  }),
})

export const campaignStatuses = ["active", "paused", "completed", "cancelled"] as const
export type CampaignStatus = (typeof campaignStatuses)[number]

export const maxContacts = 100_000

const number = (min: number, max: number) =>
  Schema.Number.pipe(
    Schema.filter((n) => Number.isFinite(n) && n >= min && n <= max, {
      message: (issue) => `must be a number from ${min} to ${max}, got ${JSON.stringify(issue.actual)}`,
    }),
  )

const Text = (max: number) =>
  Schema.String.pipe(
    Schema.filter((s) => s.trim().length >= 1 && s.length <= max, {
      message: () => `must be 1 to ${max} characters`,
    }),
  )

export const CampaignContact = Schema.Struct({
  phone: PhoneNumber,
  name: Schema.optional(Schema.String.pipe(Schema.maxLength(200))),
  metadata: Schema.optional(JsonObject),
})

/** Every field optional: what is left out comes from the gateway's retry configuration. */
export const CampaignRetryConfig = Schema.partial(RetryConfig.from)

export const CampaignPacing = Schema.Struct({
  abandonCap: Schema.optional(number(0.001, 0.2)),
  pace: Schema.optional(number(1, 5)),
  maxDialRatio: Schema.optional(number(1, 10)),
  ringSeconds: Schema.optional(number(1, 120)),
  concurrencyCap: Schema.optional(number(1, 1_000).pipe(Schema.int())),
})

export const CampaignRequest = Schema.Struct({
  name: Text(200),
  type: Schema.optional(Schema.Literal("outbound")),
  contacts: Schema.Array(CampaignContact).pipe(
    Schema.filter(
      (c) => (c.length >= 1 && c.length <= maxContacts) || `must hold 1 to ${maxContacts} contacts`,
    ),
  ),
  template: Schema.optional(Schema.String.pipe(Schema.maxLength(1_000))),
  purpose: CallPurpose,
  /** The language the purpose's script is spoken in to every contact: "hi" or "en" (the default). */
  language: Schema.optional(Language),
  dialerType: CampaignDialer,
  /** When dialing may start; absent, now. It still waits for the purpose's allowed hours. */
  schedule: Schema.optional(Schema.Date),
  retryConfig: Schema.optional(CampaignRetryConfig),
  pacing: Schema.optional(CampaignPacing),
  /** Pause the campaign when more than this share of its recent attempts fail. */
  errorRateBound: Schema.optional(number(0, 1)),
  callerId: Schema.optional(ExoPhone),
  /** The line Exotel dials first and bridges to each contact: the agents' queue. Absent: the caller ID. */
  agentLine: Schema.optional(PhoneNumber),
  priority: Schema.optional(number(1, 10).pipe(Schema.int())),
  tags: Schema.optional(Schema.Array(Schema.String.pipe(Schema.maxLength(50))).pipe(Schema.maxItems(20))),
}).annotations({ ...all, identifier: "CampaignRequest" })
export type CampaignRequest = typeof CampaignRequest.Type

/** How an attempt on a contact ended: the retry outcomes, and the two only a dialer knows. */
export type ContactOutcome =
  | "completed"
  | "busy"
  | "no_answer"
  | "network_error"
  | "failed"
  /** Answered, and no agent was free to take it. */
  | "abandoned"
  | "skipped"
