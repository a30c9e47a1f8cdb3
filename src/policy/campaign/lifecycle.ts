// The campaign state machine: which commands a campaign in each status accepts. An impossible transition is
// an answer (409), not an exception.
import type { CampaignStatus } from "../../domain/Campaign.js"

export type CampaignCommand = "pause" | "resume" | "cancel" | "complete"

export type Transition =
  | { readonly _tag: "Moved"; readonly status: CampaignStatus }
  | { readonly _tag: "Impossible"; readonly reason: string }

const moves: Record<CampaignStatus, Partial<Record<CampaignCommand, CampaignStatus>>> = {
  active: { pause: "paused", cancel: "cancelled", complete: "completed" },
  paused: { resume: "active", cancel: "cancelled" },
  // Finished campaigns stay finished: their contacts' outcomes are the record.
  completed: {},
  cancelled: {},
}

export const transition = (status: CampaignStatus, command: CampaignCommand): Transition => {
  const next = moves[status][command]
  return next === undefined
    ? { _tag: "Impossible", reason: `A campaign that is ${status} cannot ${command}` }
    : { _tag: "Moved", status: next }
}

/** Whether a runner should be dialing for a campaign in this status. */
export const isDialing = (status: CampaignStatus) => status === "active"
