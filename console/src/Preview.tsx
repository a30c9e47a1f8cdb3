// Preview dialling: an operator, on behalf of one of a preview campaign's agents, sees the campaign's next due
// contact and presses Call (the dialler rings the contact for that agent, who is busy until the call ends) or
// Skip. Keys have no agent identity (roles are viewer, operator, admin), so the agent is chosen here.
import { useEffect, useState } from "preact/hooks"
import { call, messageOf } from "./api.js"

interface Campaign {
  readonly id: string
  readonly name: string
  readonly dialerType: string
  readonly status: string
}

interface Agent {
  readonly id: string
  readonly name: string
  readonly status: string
}

interface Contact {
  readonly contactId: string
  readonly phone: string
  readonly name: string | null
  readonly message: string | null
  readonly attempts: number
}

export const Preview = ({ token }: { token: string }) => {
  const [campaigns, setCampaigns] = useState<ReadonlyArray<Campaign> | null>(null)
  const [campaignId, setCampaignId] = useState("")
  const [agents, setAgents] = useState<ReadonlyArray<Agent>>([])
  const [agentId, setAgentId] = useState("")
  // undefined: not read yet; null: nobody is due.
  const [contact, setContact] = useState<Contact | null | undefined>(undefined)
  const [note, setNote] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    void call(token, "GET", "/campaigns").then((answer) => {
      if (answer.status !== 200) return setError(messageOf(answer))
      const all = (answer.body as { campaigns: ReadonlyArray<Campaign> }).campaigns
      const preview = all.filter((c) => c.dialerType === "preview" && c.status === "active")
      setCampaigns(preview)
      setCampaignId(preview[0]?.id ?? "")
    })
  }, [token])

  const offer = async (id: string) => {
    setContact(undefined)
    const answer = await call(token, "GET", `/campaigns/${id}/preview`)
    if (answer.status !== 200) return setError(messageOf(answer))
    setContact((answer.body as { contact: Contact | null }).contact)
  }

  const loadAgents = async (id: string) => {
    const answer = await call(token, "GET", `/agents?campaignId=${encodeURIComponent(id)}`)
    if (answer.status !== 200) return setError(messageOf(answer))
    const list = (answer.body as { agents: ReadonlyArray<Agent> }).agents
    setAgents(list)
    setAgentId((kept) => (list.some((a) => a.id === kept) ? kept : (list[0]?.id ?? "")))
  }

  useEffect(() => {
    if (campaignId === "") return
    setNote(null)
    setError(null)
    void loadAgents(campaignId)
    void offer(campaignId)
  }, [campaignId, token])

  const decide = async (decision: "accept" | "skip") => {
    if (contact === null || contact === undefined) return
    setBusy(true)
    const answer = await call(token, "POST", `/campaigns/${campaignId}/preview`, {
      agentId,
      contactId: contact.contactId,
      decision,
    })
    setBusy(false)
    if (answer.status !== 200) return setError(messageOf(answer))
    setError(null)
    const who = contact.name ?? contact.phone
    setNote(decision === "accept" ? `Calling ${who} for the agent` : `Skipped ${who}`)
    await Promise.all([offer(campaignId), loadAgents(campaignId)])
  }

  const agent = agents.find((a) => a.id === agentId)
  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">Preview dialling</h2>
      {campaigns === null ? (
        <p class="empty">Loading…</p>
      ) : campaigns.length === 0 ? (
        <p class="empty">No active preview campaign.</p>
      ) : (
        <div class="inline-form">
          <label for="preview-campaign">Campaign</label>
          <select
            id="preview-campaign"
            value={campaignId}
            onChange={(e) => setCampaignId(e.currentTarget.value)}
          >
            {campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <label for="preview-agent">Agent</label>
          <select id="preview-agent" value={agentId} onChange={(e) => setAgentId(e.currentTarget.value)}>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.status})
              </option>
            ))}
          </select>
          <button type="button" onClick={() => void Promise.all([offer(campaignId), loadAgents(campaignId)])}>
            Refresh
          </button>
        </div>
      )}
      {error !== null && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {note !== null && (
        <p role="status" data-testid="preview-note">
          {note}
        </p>
      )}
      {campaignId !== "" && contact === null && <p class="empty">Nobody is due for a call now.</p>}
      {contact !== null && contact !== undefined && (
        <article class="card" data-contact-id={contact.contactId} aria-label="Next contact">
          <h3>{contact.name ?? contact.phone}</h3>
          <p class="mono">{contact.phone}</p>
          {contact.message !== null && <p>{contact.message}</p>}
          <p class="hint">Attempts so far: {contact.attempts}</p>
          <div class="actions">
            <button
              type="button"
              disabled={busy || agent === undefined || agent.status !== "free"}
              onClick={() => void decide("accept")}
            >
              Call
            </button>
            <button type="button" disabled={busy || agent === undefined} onClick={() => void decide("skip")}>
              Skip
            </button>
          </div>
          {agent !== undefined && agent.status !== "free" && (
            <p class="hint">
              {agent.name} is {agent.status}: Call waits until they are free.
            </p>
          )}
          {agents.length === 0 && <p class="hint">The campaign has no agent to take a call.</p>}
        </article>
      )}
    </section>
  )
}
