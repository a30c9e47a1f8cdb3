// How many calls a campaign launches now: its dialer's pacing policy fed with the campaign's live figures.
import type { CampaignDialer } from "../../domain/Campaign.js"
import type { CampaignFigures, PacingConfig } from "../pacing/figures.js"
import { initialPaceState, type PaceState, paceStep } from "../pacing/pace.js"
import { predictiveLaunches } from "../pacing/predictive.js"
import { previewLaunches, progressiveLaunches } from "../pacing/progressive.js"

/** What the runner counts, before it becomes the policies' figures. */
export interface MeasuredFigures {
  readonly freeAgents: number
  readonly busyAgents: number
  readonly callsInFlight: number
  readonly acceptedPreviews: number
  readonly pendingContacts: number
  /** Attempts whose outcome is known, within the rolling window. */
  readonly resolved: number
  readonly answered: number
  readonly abandoned: number
  readonly averageHandleSeconds: number | null
}

export const campaignFigures = (dialer: CampaignDialer, m: MeasuredFigures): CampaignFigures => ({
  freeAgents: m.freeAgents,
  busyAgents: m.busyAgents,
  callsInFlight: m.callsInFlight,
  acceptedPreviews: m.acceptedPreviews,
  // A preview campaign dials only what agents accepted; the others dial what is due.
  pendingContacts: dialer === "preview" ? m.acceptedPreviews : m.pendingContacts,
  answerRate: m.resolved > 0 ? Math.min(1, m.answered / m.resolved) : 0,
  dialsMeasured: m.resolved,
  abandonRate: m.answered > 0 ? m.abandoned / m.answered : 0,
  answersMeasured: m.answered,
  averageHandleSeconds: m.averageHandleSeconds ?? 0,
})

export const launchesFor = (
  dialer: CampaignDialer,
  figures: CampaignFigures,
  config: PacingConfig,
  pace: PaceState | undefined,
): { readonly launches: number; readonly pace: PaceState | undefined } => {
  switch (dialer) {
    case "preview":
      return { launches: previewLaunches(figures), pace }
    case "progressive":
      return { launches: progressiveLaunches(figures, config), pace }
    case "predictive":
      return { launches: predictiveLaunches(figures, config), pace }
    case "pace": {
      const step = paceStep(pace ?? initialPaceState(config), figures, config)
      return { launches: step.launches, pace: step.state }
    }
    case "agentless":
      return { launches: progressiveLaunches(figures, config, true), pace }
  }
}
