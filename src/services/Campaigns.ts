// Campaigns as a service: a campaign and its contacts stored, its runner started, its commands checked by the
// pure state machine; preview decisions; and the agents the dialers pace on. The HTTP endpoints under
// /campaigns and /agents and a backend embedding the gateway both call it.
import { Clock, Context, Effect, Either, Layer, Option, ParseResult, Schema } from "effect"
import { CampaignRunners } from "../actors/CampaignRunners.js"
import { AgentCreate, type AgentList, AgentStatusChange, AgentsQuery, type AgentView } from "../api/agents.js"
import {
  type CampaignList,
  type CampaignStatsView,
  type CampaignView,
  type PreviewDecided,
  PreviewDecision,
  type PreviewOffer,
} from "../api/campaigns.js"
import { CallbackUrls, newId } from "../config/callbackUrls.js"
import { Settings } from "../config/Settings.js"
import { CampaignRequest } from "../domain/Campaign.js"
import { BadRequest, Conflict, NotFound, Unprocessable } from "../domain/errors.js"
import { decodeInput } from "../domain/invalidInput.js"
import { RetryConfig } from "../domain/Retry.js"
import { type CampaignCommand, transition } from "../policy/campaign/lifecycle.js"
import { renderTemplate } from "../policy/campaign/template.js"
import { defaultPacingConfig } from "../policy/pacing/figures.js"
import { AgentsRepo } from "../store/AgentsRepo.js"
import { type CampaignRecord, CampaignsRepo } from "../store/CampaignsRepo.js"
import { DialerStore } from "../store/DialerStore.js"
import { makeAgentsCore } from "./campaignAgents.js"

const iso = (d: Date) => d.toISOString()

const campaignView = (c: CampaignRecord): typeof CampaignView.Type => ({
  id: c.id,
  name: c.name,
  type: c.type,
  template: c.template,
  purpose: c.purpose,
  language: c.language,
  dialerType: c.dialerType,
  schedule: iso(c.scheduleAt),
  retryConfig: c.retryConfig,
  pacing: c.pacingConfig,
  errorRateBound: c.errorRateBound,
  callerId: c.callerId,
  agentLine: c.agentLine,
  priority: c.priority,
  tags: c.tags,
  status: c.status,
  statusReason: c.statusReason,
  totalContacts: c.totalContacts,
  createdAt: iso(c.createdAt),
  updatedAt: iso(c.updatedAt),
})

const ratio = (part: number, whole: number) =>
  whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000

/** The given knobs over the defaults; a knob left out keeps its default. */
const withDefaults = <A extends object>(
  defaults: A,
  given: { readonly [K in keyof A]?: A[K] | undefined },
): A => {
  const merged = { ...defaults }
  for (const key of Object.keys(defaults) as Array<keyof A>) {
    const value = given[key]
    if (value !== undefined) merged[key] = value
  }
  return merged
}

/** With nothing said, a campaign pauses itself once half of its recent attempts fail. */
const defaultErrorRateBound = 0.5

/** The campaigns, on input already decoded (the HTTP layer decodes it itself). */
export const makeCampaignsCore = Effect.gen(function* () {
  const settings = yield* Settings
  const campaigns = yield* CampaignsRepo
  const dialer = yield* DialerStore
  const agents = yield* AgentsRepo
  const runners = yield* CampaignRunners
  const urls = yield* CallbackUrls
  // The runners dial once they know where Exotel reports back; attaching again changes nothing.
  yield* runners.attach(urls)

  const existing = (id: string) =>
    Effect.flatMap(
      campaigns.find(id),
      Option.match({
        onNone: () => Effect.fail(new NotFound({ message: `No campaign ${JSON.stringify(id)}` })),
        onSome: Effect.succeed,
      }),
    )

  const previewing = (id: string) =>
    Effect.flatMap(existing(id), (campaign) =>
      campaign.dialerType === "preview"
        ? Effect.succeed(campaign)
        : Effect.fail(
            new Conflict({ message: `Campaign ${campaign.id} dials ${campaign.dialerType}, not preview` }),
          ),
    )

  const command = (id: string, name: CampaignCommand) =>
    Effect.gen(function* () {
      const campaign = yield* existing(id)
      const moved = transition(campaign.status, name)
      if (moved._tag === "Impossible") return yield* new Conflict({ message: moved.reason })
      const now = new Date(yield* Clock.currentTimeMillis)
      const updated = yield* campaigns.setStatus(id, campaign.status, moved.status, `${name} requested`, now)
      if (Option.isNone(updated)) {
        return yield* new Conflict({
          message: `Campaign ${id} changed status meanwhile; read it and try again`,
        })
      }
      yield* moved.status === "active" ? runners.start(id) : runners.poke(id)
      return campaignView(updated.value)
    })

  const create = (payload: typeof CampaignRequest.Type) =>
    Effect.gen(function* () {
      const current = yield* settings.current
      const callerId = payload.callerId ?? Option.getOrUndefined(current.exotel.defaultExoPhone)
      if (callerId === undefined) {
        return yield* new Unprocessable({
          message: "callerId: none given and no default ExoPhone configured (exotel-default-exophone)",
          field: "callerId",
        })
      }
      const retry = Schema.decodeUnknownEither(RetryConfig)({ ...current.retry, ...payload.retryConfig })
      if (Either.isLeft(retry)) {
        const issue = ParseResult.ArrayFormatter.formatErrorSync(retry.left)[0]
        const field = ["retryConfig", ...(issue?.path ?? [])].join(".")
        return yield* new BadRequest({ message: `${field}: ${issue?.message ?? "invalid"}`, field })
      }
      const now = yield* Clock.currentTimeMillis
      const template = payload.template ?? null
      const created = yield* campaigns.create({
        id: newId("cmp"),
        name: payload.name.trim(),
        template,
        purpose: payload.purpose,
        language: payload.language ?? "en",
        dialerType: payload.dialerType,
        scheduleAt: payload.schedule ?? new Date(now),
        retryConfig: retry.right,
        pacingConfig: withDefaults(defaultPacingConfig, payload.pacing ?? {}),
        errorRateBound: payload.errorRateBound ?? defaultErrorRateBound,
        callerId,
        agentLine: payload.agentLine ?? null,
        priority: payload.priority ?? 5,
        tags: payload.tags ?? [],
        now: new Date(now),
        contacts: payload.contacts.map((contact) => ({
          phone: contact.phone,
          name: contact.name ?? null,
          metadata: contact.metadata ?? {},
          message: template === null ? null : renderTemplate(template, contact),
        })),
      })
      yield* runners.start(created.id)
      return campaignView(created)
    })

  const stats = (id: string) =>
    Effect.gen(function* () {
      const campaign = yield* existing(id)
      const s = yield* campaigns.stats(id)
      return {
        campaignId: campaign.id,
        status: campaign.status,
        total: s.total,
        dialled: s.dialled,
        uncertain: s.uncertain,
        adopted: s.adopted,
        redialled: s.redialled,
        answered: s.answered,
        completed: s.completed,
        failed: s.failed,
        abandoned: s.abandoned,
        skipped: s.skipped,
        pending: s.pending,
        answerRate: ratio(s.answered, s.resolved),
        abandonRate: ratio(s.abandoned, s.answered),
        progress: Math.round(ratio(s.done, s.total) * 10_000) / 100,
      }
    })

  const nextPreview = (id: string) =>
    Effect.gen(function* () {
      const campaign = yield* previewing(id)
      const next = yield* dialer.nextPreview(campaign.id, new Date(yield* Clock.currentTimeMillis))
      return {
        contact: Option.match(next, {
          onNone: () => null,
          onSome: (c) => ({
            contactId: c.id,
            phone: c.phone,
            name: c.name,
            message: c.message,
            metadata: c.metadata,
            attempts: c.attempts,
          }),
        }),
      }
    })

  const decidePreview = (id: string, payload: typeof PreviewDecision.Type) =>
    Effect.gen(function* () {
      const campaign = yield* previewing(id)
      const agent = yield* agents.find(payload.agentId)
      if (Option.isNone(agent) || agent.value.campaignId !== campaign.id) {
        return yield* new NotFound({
          message: `No agent ${JSON.stringify(payload.agentId)} on campaign ${campaign.id}`,
        })
      }
      const accept = payload.decision === "accept"
      if (accept && agent.value.status !== "free") {
        return yield* new Conflict({ message: `Agent ${payload.agentId} is ${agent.value.status}, not free` })
      }
      const now = new Date(yield* Clock.currentTimeMillis)
      const decided = yield* dialer.decidePreview(
        campaign.id,
        payload.contactId,
        payload.agentId,
        accept,
        now,
      )
      if (!decided) {
        return yield* new Conflict({
          message: `Contact ${payload.contactId} is not waiting for a preview decision`,
        })
      }
      yield* runners.poke(campaign.id)
      return { contactId: payload.contactId, decision: payload.decision }
    })

  return {
    create,
    list: Effect.map(campaigns.list, (all) => ({ campaigns: all.map(campaignView) })),
    get: (id: string) => Effect.map(existing(id), campaignView),
    stats,
    pause: (id: string) => command(id, "pause"),
    resume: (id: string) => command(id, "resume"),
    cancel: (id: string) => command(id, "cancel"),
    nextPreview,
    decidePreview,
  }
})

type Campaign = typeof CampaignView.Type
type Agent = typeof AgentView.Type

export interface CampaignsShape {
  /**
   * Stores a campaign with its contacts inline (1 to 100,000; `{{name}}` and metadata keys in `template` are
   * filled in per contact) and starts its runner, which dials from `schedule` inside the purpose's allowed
   * hours, speaking the purpose's script in `language` (English by default). BadRequest names the field; Unprocessable when no caller ID is given or configured.
   */
  readonly create: (
    request: typeof CampaignRequest.Encoded,
  ) => Effect.Effect<Campaign, BadRequest | Unprocessable>
  /** The campaigns, newest first (the latest 500). */
  readonly list: Effect.Effect<typeof CampaignList.Type>
  /** NotFound for an unknown id. */
  readonly get: (id: string) => Effect.Effect<Campaign, NotFound>
  /** Dialled, answered, completed, failed, abandoned…, the answer and abandon rates and progress in percent. */
  readonly stats: (id: string) => Effect.Effect<typeof CampaignStatsView.Type, NotFound>
  /** Stops dialling; calls already placed finish and are recorded. Conflict unless the campaign is active. */
  readonly pause: (id: string) => Effect.Effect<Campaign, NotFound | Conflict>
  /** Dials again; the error rate is measured afresh. Conflict unless the campaign is paused. */
  readonly resume: (id: string) => Effect.Effect<Campaign, NotFound | Conflict>
  /** Stops for good; contacts not yet done stay undialled. Conflict once completed or cancelled. */
  readonly cancel: (id: string) => Effect.Effect<Campaign, NotFound | Conflict>
  /** Preview dialing: the next due contact an agent may accept or skip. Conflict for another dialer. */
  readonly nextPreview: (id: string) => Effect.Effect<typeof PreviewOffer.Type, NotFound | Conflict>
  /**
   * An agent of the campaign accepts (the contact is dialled for them, and they are busy until the call
   * ends) or skips a previewed contact. NotFound for an agent not on the campaign; Conflict when the agent
   * is not free to accept or the contact is not waiting for a decision.
   */
  readonly decidePreview: (
    id: string,
    decision: typeof PreviewDecision.Encoded,
  ) => Effect.Effect<typeof PreviewDecided.Type, BadRequest | NotFound | Conflict>
  /** The agents of one campaign, or every agent. */
  readonly listAgents: (
    query?: typeof AgentsQuery.Encoded,
  ) => Effect.Effect<typeof AgentList.Type, BadRequest>
  /** An agent, assigned to a campaign if one is named (NotFound if it does not exist); free at first. */
  readonly createAgent: (request: typeof AgentCreate.Encoded) => Effect.Effect<Agent, BadRequest | NotFound>
  /** Free, busy or offline, and optionally another campaign; a free agent is offered the next answered call. */
  readonly setAgentStatus: (
    id: string,
    change: typeof AgentStatusChange.Encoded,
  ) => Effect.Effect<Agent, BadRequest | NotFound>
}

export class Campaigns extends Context.Tag("Campaigns")<Campaigns, CampaignsShape>() {}

export const CampaignsLive = Layer.effect(
  Campaigns,
  Effect.gen(function* () {
    const core = yield* makeCampaignsCore
    const agents = yield* makeAgentsCore
    return Campaigns.of({
      ...core,
      create: (request) => Effect.flatMap(decodeInput(CampaignRequest, request), core.create),
      decidePreview: (id, decision) =>
        Effect.flatMap(decodeInput(PreviewDecision, decision), (d) => core.decidePreview(id, d)),
      listAgents: (query = {}) => Effect.flatMap(decodeInput(AgentsQuery, query), agents.listAgents),
      createAgent: (request) => Effect.flatMap(decodeInput(AgentCreate, request), agents.createAgent),
      setAgentStatus: (id, change) =>
        Effect.flatMap(decodeInput(AgentStatusChange, change), (c) => agents.setAgentStatus(id, c)),
    })
  }),
)
