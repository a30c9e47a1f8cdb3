// Campaigns: progress, answer rate and abandon rate against the cap; pause, resume and cancel for an operator.
// The list is read when the view opens, after each action, and again when a campaign call's status is pushed.
import { useEffect, useRef, useState } from "preact/hooks"
import { call, messageOf, type Role, roleAllows } from "./api.js"
import { BudgetShare, BudgetTotal, type RateBudget } from "./Budget.js"
import type { ConsoleEvent } from "./events.js"

interface Campaign {
  readonly id: string
  readonly name: string
  readonly dialerType: string
  readonly status: string
  readonly totalContacts: number
  readonly pacing: { readonly abandonCap?: number } | null
}

/** The dialer's abandon-rate cap when the campaign sets none (src/policy/pacing/figures.ts). */
const defaultAbandonCap = 0.03

interface Stats {
  readonly dialled: number
  readonly completed: number
  readonly failed: number
  readonly pending: number
  readonly answered: number
  readonly abandonRate: number
  readonly progress: number
}

interface Row {
  readonly campaign: Campaign
  readonly stats: Stats | null
}

/**
 * Answered of dialled attempts. The API's answerRate divides by resolved attempts, so it passes 100 % while
 * answered calls are still in flight.
 */
const answerRate = (stats: Stats) => (stats.dialled === 0 ? 0 : stats.answered / stats.dialled)

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`

/**
 * At most one refresh a second: a busy campaign pushes many call events, and a viewer key has 20 requests a
 * second (docs/security.md). A finished campaign's figures no longer change, so they are read once.
 */
const refreshAfterMs = 1000
const finished = (status: string) => status === "completed" || status === "cancelled"

export const Campaigns = ({
  token,
  role,
  events,
}: {
  token: string
  role: Role
  events: ReadonlyArray<ConsoleEvent>
}) => {
  const [rows, setRows] = useState<ReadonlyArray<Row> | null>(null)
  const [budget, setBudget] = useState<RateBudget | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null)
  const settled = useRef(new Map<string, Stats>())
  const load = async () => {
    const list = await call(token, "GET", "/campaigns")
    if (list.status !== 200) return setError(messageOf(list))
    const campaigns = (list.body as { campaigns: ReadonlyArray<Campaign> }).campaigns
    const loaded = await Promise.all(
      campaigns.map(async (campaign) => {
        const known = settled.current.get(campaign.id)
        if (known !== undefined && finished(campaign.status)) return { campaign, stats: known }
        const answer = await call(token, "GET", `/campaigns/${campaign.id}/stats`)
        const stats = answer.status === 200 ? (answer.body as Stats) : null
        if (stats !== null && finished(campaign.status)) settled.current.set(campaign.id, stats)
        return { campaign, stats }
      }),
    )
    setRows(loaded)
    const spent = await call(token, "GET", "/campaigns/rate-budget")
    setBudget(spent.status === 200 ? (spent.body as RateBudget) : null)
  }
  useEffect(() => {
    void load()
  }, [token])
  const campaignEvents = events.filter((e) => e._tag === "CallStatus" && e.kind === "campaign").length
  useEffect(() => {
    if (campaignEvents === 0 || pending.current !== null) return
    pending.current = setTimeout(() => {
      pending.current = null
      void load()
    }, refreshAfterMs)
  }, [campaignEvents])
  useEffect(() => () => clearTimeout(pending.current ?? undefined), [])
  const act = async (campaign: Campaign, action: "pause" | "resume" | "cancel") => {
    setBusy(campaign.id)
    const answer = await call(token, "POST", `/campaigns/${campaign.id}/${action}`, {})
    setBusy(null)
    setError(answer.status >= 300 ? messageOf(answer) : null)
    await load()
  }
  const operator = roleAllows(role, "operator")
  return (
    <section aria-labelledby="campaigns-title">
      <h2 id="campaigns-title">Campaigns</h2>
      {error !== null && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {budget !== null && <BudgetTotal budget={budget} />}
      {rows === null ? (
        <p class="empty">Loading…</p>
      ) : rows.length === 0 ? (
        <p class="empty">No campaigns.</p>
      ) : (
        <ul class="cards">
          {rows.map(({ campaign, stats }) => (
            <li key={campaign.id} class="card" data-campaign-id={campaign.id} data-status={campaign.status}>
              <div class="card-head">
                <h3>{campaign.name}</h3>
                <span class={`badge ${campaign.status}`}>{campaign.status}</span>
              </div>
              <progress
                max={100}
                value={stats?.progress ?? 0}
                aria-label={`${campaign.name} progress`}
                data-progress={stats?.progress ?? 0}
              />
              <dl class="figures">
                <div>
                  <dt>Progress</dt>
                  <dd>{stats === null ? "—" : `${stats.progress.toFixed(0)}%`}</dd>
                </div>
                <div>
                  <dt>Dialled</dt>
                  <dd>
                    {stats?.dialled ?? "—"} / {campaign.totalContacts}
                  </dd>
                </div>
                <div>
                  <dt>Answer rate</dt>
                  <dd>{stats === null ? "—" : percent(answerRate(stats))}</dd>
                </div>
                <div>
                  <dt>Abandon rate</dt>
                  <dd>
                    {stats === null ? "—" : percent(stats.abandonRate)} (cap{" "}
                    {percent(campaign.pacing?.abandonCap ?? defaultAbandonCap)})
                  </dd>
                </div>
              </dl>
              <BudgetShare budget={budget} campaignId={campaign.id} />
              {operator && (campaign.status === "active" || campaign.status === "paused") && (
                <div class="actions">
                  {campaign.status === "active" ? (
                    <button
                      type="button"
                      disabled={busy === campaign.id}
                      onClick={() => void act(campaign, "pause")}
                    >
                      Pause
                    </button>
                  ) : (
                    <button
                      type="button"
                      disabled={busy === campaign.id}
                      onClick={() => void act(campaign, "resume")}
                    >
                      Resume
                    </button>
                  )}
                  <button
                    type="button"
                    class="danger"
                    disabled={busy === campaign.id}
                    onClick={() => {
                      if (
                        window.confirm(`Cancel ${campaign.name}? Its remaining contacts are not dialled.`)
                      ) {
                        void act(campaign, "cancel")
                      }
                    }}
                  >
                    Cancel
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
