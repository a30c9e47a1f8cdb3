// PACE: a predictive dialer steered by a feedback controller. A PI controller moves the dial ratio so that
// the measured abandon rate settles at a set point below the cap (2.5% under 3%), where "predictive" plans
// from the answer rate alone. Both fall back to progressive near the cap.
import { largestSafeDials } from "./binomial.js"
import { boundLaunches, type CampaignFigures, type PacingConfig } from "./figures.js"
import {
  abandonRateAtLeast,
  agentsForAnswers,
  guardShare,
  overflowRisk,
  plannedAnswerRate,
} from "./predictive.js"
import { progressiveLaunches } from "./progressive.js"

export interface PaceState {
  /** Calls per agent the controller currently dials. */
  readonly ratio: number
  /** The controller's accumulated error. */
  readonly integral: number
}

export const initialPaceState = (config: PacingConfig): PaceState => ({ ratio: config.pace, integral: 0 })

const gains = { proportional: 8, integral: 0.5, integralLimit: 1 } as const

/** The set point the controller aims at: five sixths of the cap (2.5% for a 3% cap). */
export const paceSetPoint = (config: PacingConfig) => (config.abandonCap * 5) / 6

export const paceStep = (
  state: PaceState,
  figures: CampaignFigures,
  config: PacingConfig,
): { readonly launches: number; readonly state: PaceState } => {
  // Until enough answers are measured there is no error to act on: dial at the configured pace.
  const error = figures.answersMeasured >= 20 ? paceSetPoint(config) - figures.abandonRate : 0
  const integral = Math.max(-gains.integralLimit, Math.min(gains.integralLimit, state.integral + error))
  const ratio = Math.max(
    1,
    Math.min(config.maxDialRatio, config.pace * (1 + gains.proportional * error) + gains.integral * integral),
  )
  const next = { ratio, integral }
  const progressive = progressiveLaunches(figures, config)
  if (abandonRateAtLeast(figures, config.abandonCap * guardShare))
    return { launches: progressive, state: next }
  // The controller proposes; the cap's own bound disposes — the ratio can never overrun the agents by more
  // than the cap allows.
  const capacity = agentsForAnswers(figures, config)
  const bound = largestSafeDials(
    plannedAnswerRate(figures),
    capacity,
    // PACE may take twice predictive's risk: its controller, not the plan, holds the rate at the set point.
    overflowRisk(figures, config) * 2,
    Math.ceil(capacity * ratio),
  )
  const wanted = Math.min(Math.floor(Math.max(figures.freeAgents, 0) * ratio), bound)
  return {
    launches: Math.max(progressive, boundLaunches(wanted - figures.callsInFlight, figures)),
    state: next,
  }
}
