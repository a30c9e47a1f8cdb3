// Predictive dialing: more calls than free agents, because not every call is answered — as many as keeps
// the chance that more are answered than agents can take below a bound derived from the abandon cap.
import { largestSafeDials } from "./binomial.js"
import { boundLaunches, type CampaignFigures, type PacingConfig } from "./figures.js"
import { progressiveLaunches } from "./progressive.js"

/**
 * The answer rate to plan with: the measured one, pulled towards 1 while few outcomes back it, then raised by
 * its standard error. Overestimating answers makes the dialer cautious, never reckless: with nothing measured
 * it plans as if every call were answered, which is progressive dialing.
 */
export const plannedAnswerRate = (figures: CampaignFigures) => {
  const prior = 20
  const n = figures.dialsMeasured + prior
  const p = (figures.answerRate * figures.dialsMeasured + prior) / n
  return Math.min(1, p + 1.65 * Math.sqrt((p * (1 - p)) / n))
}

/**
 * Agents who can take an answer: the free ones, and — counted at half, since a handle time is only a mean —
 * the busy ones expected to finish while a new call rings.
 */
export const agentsForAnswers = (figures: CampaignFigures, config: PacingConfig) => {
  const freeingSoon =
    figures.averageHandleSeconds > 0
      ? figures.busyAgents * Math.min(1, config.ringSeconds / figures.averageHandleSeconds) * 0.5
      : 0
  return figures.freeAgents + Math.floor(freeingSoon)
}

/** Whether the measured abandon rate is trustworthy and at or over the given level. */
export const abandonRateAtLeast = (figures: CampaignFigures, level: number) =>
  figures.answersMeasured >= 20 && figures.abandonRate >= level

/** Past this share of the cap a dialer stops dialing ahead: the measured rate lags, so it needs a margin. */
export const guardShare = 0.8

/**
 * The chance of overflowing the agents a dialer may take on now: half the cap while no abandons are
 * measured, shrinking to nothing as the measured rate approaches the guard.
 */
export const overflowRisk = (figures: CampaignFigures, config: PacingConfig) => {
  const measured = figures.answersMeasured >= 20 ? figures.abandonRate : 0
  return (config.abandonCap / 2) * Math.max(0, 1 - measured / (config.abandonCap * guardShare))
}

/**
 * Calls to launch now. Near the cap it falls back to progressive (no abandon is possible then); otherwise it
 * dials up to the largest number whose chance of overflowing the agents is within the risk it may take,
 * and never fewer than progressive would.
 */
export const predictiveLaunches = (figures: CampaignFigures, config: PacingConfig) => {
  const progressive = progressiveLaunches(figures, config)
  if (abandonRateAtLeast(figures, config.abandonCap * guardShare)) return progressive
  const capacity = agentsForAnswers(figures, config)
  const limit = Math.ceil(Math.max(figures.freeAgents, 1) * config.maxDialRatio)
  const total = largestSafeDials(plannedAnswerRate(figures), capacity, overflowRisk(figures, config), limit)
  return Math.max(progressive, boundLaunches(total - figures.callsInFlight, figures))
}
