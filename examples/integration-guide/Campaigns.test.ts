// The seed's campaign management with the gateway as a library: start with a small batch, read its stats, and
// drive a preview campaign with an agent — through the public entry points only.
import { expect, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import {
  AgentList,
  AgentView,
  CampaignList,
  CampaignStatsView,
  Campaigns,
  CampaignView,
  PreviewContactView,
  PreviewDecided,
  PreviewOffer,
} from "exotel-voice-gateway"
import { GatewayTest, type SimLedger, simulatorLedger } from "exotel-voice-gateway/testing"
import { until } from "./until.js"

/**
 * The calls to the number the simulated Exotel accepted. An agentless campaign's call is connected straight to
 * the gateway's voice stream, so the contact is its From and it has no To; the other dialers ring an agent line
 * and then the contact, its To.
 */
const callsTo = (phone: string) =>
  Effect.map(simulatorLedger, (ledger: SimLedger) =>
    ledger.accepted("call").filter((e) => (e.fields.To ?? e.fields.From) === phone),
  )

layer(GatewayTest(), { timeout: 120_000, excludeTestServices: true })("campaigns", (it) => {
  it.effect("an agentless campaign of three contacts dials each once, completes, and counts them", () =>
    Effect.gen(function* () {
      const campaigns = yield* Campaigns
      const contacts = ["+919123460001", "+919123460002", "+919123460003"]
      const created = yield* campaigns.create({
        name: "Delivery updates, first batch",
        // A transactional purpose: the runner may dial at any hour.
        purpose: "delivery_update",
        dialerType: "agentless",
        template: "Hi {{name}}, order {{orderId}} is on its way",
        contacts: contacts.map((phone, i) => ({
          phone,
          name: `Customer ${i + 1}`,
          metadata: { orderId: i },
        })),
        pacing: { concurrencyCap: 2 },
      })
      expect(Schema.is(CampaignView)(created)).toBe(true)
      expect(created).toMatchObject({ status: "active", dialerType: "agentless", totalContacts: 3 })
      yield* until(campaigns.get(created.id), (c) => c.status === "completed")
      const stats = yield* campaigns.stats(created.id)
      expect(Schema.is(CampaignStatsView)(stats)).toBe(true)
      expect(stats).toMatchObject({
        total: 3,
        dialled: 3,
        completed: 3,
        failed: 0,
        pending: 0,
        progress: 100,
      })
      for (const phone of contacts) expect(yield* callsTo(phone)).toHaveLength(1)
      const all = yield* campaigns.list
      expect(Schema.is(CampaignList)(all)).toBe(true)
      expect(all.campaigns.map((c) => c.id)).toContain(created.id)
    }),
  )

  it.effect("a preview campaign dials a contact once its agent accepts it, and skips the next", () =>
    Effect.gen(function* () {
      const campaigns = yield* Campaigns
      const [ravi, meena] = ["+919123460011", "+919123460012"]
      const created = yield* campaigns.create({
        name: "Delivery follow-up",
        purpose: "delivery_update",
        dialerType: "preview",
        template: "Hi {{name}}, about order {{orderId}}",
        contacts: [
          { phone: ravi, name: "Ravi", metadata: { orderId: "ORD-1" } },
          { phone: meena, name: "Meena" },
        ],
      })
      const agent = yield* campaigns.createAgent({
        name: "Vik",
        phone: "+919812345679",
        campaignId: created.id,
      })
      expect(Schema.is(AgentView)(agent)).toBe(true)
      expect(agent).toMatchObject({ status: "free", campaignId: created.id })
      const onCampaign = yield* campaigns.listAgents({ campaignId: created.id })
      expect(Schema.is(AgentList)(onCampaign)).toBe(true)
      expect(onCampaign.agents.map((a) => a.id)).toEqual([agent.id])

      expect(yield* campaigns.pause(created.id)).toMatchObject({ status: "paused" })
      expect(yield* campaigns.resume(created.id)).toMatchObject({ status: "active" })

      const offered = yield* campaigns.nextPreview(created.id)
      expect(Schema.is(PreviewOffer)(offered)).toBe(true)
      expect(offered.contact).toMatchObject({ phone: ravi, message: "Hi Ravi, about order ORD-1" })
      expect(Schema.is(PreviewContactView)(offered.contact)).toBe(true)
      expect(yield* callsTo(ravi)).toHaveLength(0)
      const decision = {
        agentId: agent.id,
        contactId: offered.contact?.contactId ?? "",
        decision: "accept",
      } as const
      // An agent who is busy cannot take a contact; once free again, they can.
      yield* campaigns.setAgentStatus(agent.id, { status: "busy" })
      expect(yield* Effect.flip(campaigns.decidePreview(created.id, decision))).toMatchObject({
        _tag: "Conflict",
      })
      expect(yield* campaigns.setAgentStatus(agent.id, { status: "free" })).toMatchObject({ status: "free" })
      const accepted = yield* campaigns.decidePreview(created.id, decision)
      expect(Schema.is(PreviewDecided)(accepted)).toBe(true)
      yield* until(callsTo(ravi), (calls) => calls.length === 1)

      // The agent is busy with Ravi's call until it ends; then free for the next.
      yield* until(campaigns.listAgents({ campaignId: created.id }), (list) =>
        list.agents.every((a) => a.status === "free"),
      )
      const next = yield* campaigns.nextPreview(created.id)
      expect(next.contact).toMatchObject({ phone: meena })
      yield* campaigns.decidePreview(created.id, {
        agentId: agent.id,
        contactId: next.contact?.contactId ?? "",
        decision: "skip",
      })
      yield* until(campaigns.get(created.id), (c) => c.status === "completed")
      expect(yield* callsTo(meena)).toHaveLength(0)
      expect(yield* campaigns.stats(created.id)).toMatchObject({ dialled: 1, completed: 1, skipped: 1 })
    }),
  )

  it.effect("refusals are typed: a bad field, an unknown campaign, an impossible command", () =>
    Effect.gen(function* () {
      const campaigns = yield* Campaigns
      const empty = yield* Effect.flip(
        campaigns.create({
          name: "Nobody",
          purpose: "delivery_update",
          dialerType: "agentless",
          contacts: [],
        }),
      )
      expect(empty).toMatchObject({ _tag: "BadRequest", field: "contacts" })
      expect(yield* Effect.flip(campaigns.get("cmp_nobody"))).toMatchObject({ _tag: "NotFound" })
      // Due tomorrow, so it is still waiting when cancelled.
      const small = yield* campaigns.create({
        name: "One contact",
        purpose: "delivery_update",
        dialerType: "agentless",
        schedule: new Date(Date.now() + 86_400_000).toISOString(),
        contacts: [{ phone: "+919123460021" }],
      })
      const cancelled = yield* campaigns.cancel(small.id)
      expect(cancelled.status).toBe("cancelled")
      expect(yield* Effect.flip(campaigns.resume(small.id))).toMatchObject({ _tag: "Conflict" })
      // Only a preview campaign offers contacts to agents.
      expect(yield* Effect.flip(campaigns.nextPreview(small.id))).toMatchObject({ _tag: "Conflict" })
      const badAgent = yield* Effect.flip(campaigns.createAgent({ name: "Nobody", phone: "12" }))
      expect(badAgent).toMatchObject({ _tag: "BadRequest", field: "phone" })
      const absent = yield* Effect.flip(campaigns.setAgentStatus("agt_nobody", { status: "busy" }))
      expect(absent).toMatchObject({ _tag: "NotFound" })
    }),
  )
})
