// What a campaign runner knows at an instant, and the knobs of its pacing: the input of every dialer policy.

/** The campaign's live figures, as its runner measures them. */
export interface CampaignFigures {
  /** Agents idle and not holding a previewed contact. */
  readonly freeAgents: number
  /** Agents on a call. */
  readonly busyAgents: number
  /** Calls dialled and still ringing: each may yet be answered and need an agent. */
  readonly callsInFlight: number
  /** Preview: contacts an agent has accepted and that wait to be dialled. */
  readonly acceptedPreviews: number
  /** Contacts that may be dialled now (due, inside allowed hours, attempts left). */
  readonly pendingContacts: number
  /** Answered ÷ dials whose outcome is known, over the rolling window (a call still ringing counts for neither). */
  readonly answerRate: number
  /** Dials with a known outcome the answer rate was measured on; few make it uncertain. */
  readonly dialsMeasured: number
  /** Abandoned ÷ answered over the rolling window (an answered call that found no agent within 2 s). */
  readonly abandonRate: number
  /** Answered calls the abandon rate was measured on. */
  readonly answersMeasured: number
  /** Mean seconds an agent spends on a connected call. */
  readonly averageHandleSeconds: number
}

export interface PacingConfig {
  /** The most abandoned ÷ answered a dialer may cause (the FTC and Ofcom's 3%). */
  readonly abandonCap: number
  /** Seconds a dialled call typically rings before it is answered or given up. */
  readonly ringSeconds: number
  /** No dialer launches more than this many calls per agent it can count on. */
  readonly maxDialRatio: number
  /** PACE: the starting calls per agent, before the controller adjusts it. */
  readonly pace: number
  /** Agentless campaigns (an AI voice flow per contact): the most calls at once. */
  readonly concurrencyCap: number
}

export const defaultPacingConfig: PacingConfig = {
  abandonCap: 0.03,
  ringSeconds: 20,
  maxDialRatio: 3,
  pace: 1.5,
  concurrencyCap: 10,
}

export const dialerTypes = ["preview", "progressive", "predictive", "pace"] as const
export type DialerType = (typeof dialerTypes)[number]

/** Never a negative count, never more than can be dialled. */
export const boundLaunches = (launches: number, figures: CampaignFigures) =>
  Math.max(0, Math.min(Math.floor(launches), figures.pendingContacts))
