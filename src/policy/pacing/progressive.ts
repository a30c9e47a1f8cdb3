// Progressive and preview dialing: a call only for an agent who is free to take it, never more.
import { boundLaunches, type CampaignFigures, type PacingConfig } from "./figures.js"

/** One call per free agent, counting the calls already ringing for them; agentless: up to the concurrency cap. */
export const progressiveLaunches = (figures: CampaignFigures, config: PacingConfig, agentless = false) =>
  boundLaunches((agentless ? config.concurrencyCap : figures.freeAgents) - figures.callsInFlight, figures)

/** A call only for a contact an agent has looked at and accepted. */
export const previewLaunches = (figures: CampaignFigures) => boundLaunches(figures.acceptedPreviews, figures)
