// Campaigns: store the campaign and its contacts, start its runner; commands go through the pure state machine.
import { HttpApiBuilder } from "@effect/platform"
import { Clock, Effect, Either, Option, ParseResult, Schema } from "effect"
import { CampaignRunners } from "../../actors/CampaignRunners.js"
import { Settings } from "../../config/Settings.js"
import { BadRequest, Conflict, NotFound, Unprocessable } from "../../domain/errors.js"
import { RetryConfig } from "../../domain/Retry.js"
import { type CampaignCommand, transition } from "../../policy/campaign/lifecycle.js"
import { renderTemplate } from "../../policy/campaign/template.js"
import { defaultPacingConfig } from "../../policy/pacing/figures.js"
import { AgentsRepo } from "../../store/AgentsRepo.js"
import { type CampaignRecord, CampaignsRepo } from "../../store/CampaignsRepo.js"
import { DialerStore } from "../../store/DialerStore.js"
import { CallbackUrls, newId } from "../callbackUrls.js"
import { GatewayApi } from "../GatewayApi.js"

const iso = (d: Date) => d.toISOString()

export const campaignView = (c: CampaignRecord) => ({
  id: c.id,
  name: c.name,
  type: c.type,
  template: c.template,
  purpose: c.purpose,
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

export const CampaignsHandlersLive = HttpApiBuilder.group(GatewayApi, "campaigns", (handlers) =>
  Effect.gen(function* () {
    const settings = yield* Settings
    const campaigns = yield* CampaignsRepo
    const dialer = yield* DialerStore
    const agents = yield* AgentsRepo
    const runners = yield* CampaignRunners
    const urls = yield* CallbackUrls
    yield* runners.attach(urls.callStatus)

    const existing = (id: string) =>
      Effect.flatMap(
        campaigns.find(id),
        Option.match({
          onNone: () => Effect.fail(new NotFound({ message: `No campaign ${JSON.stringify(id)}` })),
          onSome: Effect.succeed,
        }),
      )

    const command = (id: string, name: CampaignCommand) =>
      Effect.gen(function* () {
        const campaign = yield* existing(id)
        const moved = transition(campaign.status, name)
        if (moved._tag === "Impossible") return yield* new Conflict({ message: moved.reason })
        const now = new Date(yield* Clock.currentTimeMillis)
        const updated = yield* campaigns.setStatus(
          id,
          campaign.status,
          moved.status,
          `${name} requested`,
          now,
        )
        if (Option.isNone(updated)) {
          return yield* new Conflict({
            message: `Campaign ${id} changed status meanwhile; read it and try again`,
          })
        }
        yield* moved.status === "active" ? runners.start(id) : runners.poke(id)
        return campaignView(updated.value)
      })

    return handlers
      .handle("create", ({ payload }) =>
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
        }),
      )
      .handle("list", () => Effect.map(campaigns.list, (all) => ({ campaigns: all.map(campaignView) })))
      .handle("get", ({ path }) => Effect.map(existing(path.id), campaignView))
      .handle("stats", ({ path }) =>
        Effect.gen(function* () {
          const campaign = yield* existing(path.id)
          const s = yield* campaigns.stats(path.id)
          return {
            campaignId: campaign.id,
            status: campaign.status,
            total: s.total,
            dialled: s.dialled,
            uncertain: s.uncertain,
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
        }),
      )
      .handle("pause", ({ path }) => command(path.id, "pause"))
      .handle("resume", ({ path }) => command(path.id, "resume"))
      .handle("cancel", ({ path }) => command(path.id, "cancel"))
      .handle("nextPreview", ({ path }) =>
        Effect.gen(function* () {
          const campaign = yield* existing(path.id)
          if (campaign.dialerType !== "preview") {
            return yield* new Conflict({
              message: `Campaign ${campaign.id} dials ${campaign.dialerType}, not preview`,
            })
          }
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
        }),
      )
      .handle("decidePreview", ({ path, payload }) =>
        Effect.gen(function* () {
          const campaign = yield* existing(path.id)
          if (campaign.dialerType !== "preview") {
            return yield* new Conflict({
              message: `Campaign ${campaign.id} dials ${campaign.dialerType}, not preview`,
            })
          }
          const agent = yield* agents.find(payload.agentId)
          if (Option.isNone(agent) || agent.value.campaignId !== campaign.id) {
            return yield* new NotFound({
              message: `No agent ${JSON.stringify(payload.agentId)} on campaign ${campaign.id}`,
            })
          }
          const accept = payload.decision === "accept"
          if (accept && agent.value.status !== "free") {
            return yield* new Conflict({
              message: `Agent ${payload.agentId} is ${agent.value.status}, not free`,
            })
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
        }),
      )
  }),
)
