// A call centre simulated second by second, to judge a dialer policy by what it causes: answered calls
// that find no agent within 2 s (abandoned), and how busy the agents are. Test-only; seeded, deterministic.
import type { CampaignFigures } from "../../src/policy/pacing/figures.js"

export interface Day {
  readonly agents: number
  readonly answerRate: number
  readonly meanHandleSeconds: number
  readonly seconds: number
  readonly seed: number
}

export interface DayResult {
  readonly dialled: number
  readonly answered: number
  readonly abandoned: number
  readonly agentBusySeconds: number
}

/** mulberry32: a small seeded generator, so a failing day can be replayed. */
const random = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Ringing {
  readonly endsAt: number
  readonly answered: boolean
}

const windowSeconds = 1800

export const simulateDay = (day: Day, launchesFor: (figures: CampaignFigures) => number): DayResult => {
  const next = random(day.seed)
  const agentFreeAt = Array.from({ length: day.agents }, () => 0)
  let ringing: Array<Ringing> = []
  let waiting: Array<number> = [] // answered calls waiting for an agent, by the second they were answered
  const history: Array<{ t: number; ended: number; answered: number; abandoned: number }> = []
  const windowSums = { ended: 0, answered: 0, abandoned: 0 }
  let dialled = 0
  let answered = 0
  let abandoned = 0
  let busySeconds = 0
  let handleSum = 0
  let handled = 0

  const takeAgent = (t: number) => {
    const agent = agentFreeAt.findIndex((free) => free <= t)
    if (agent < 0) return false
    // Exponential handle time around the mean, at least 10 s.
    const handle = Math.max(10, -Math.log(1 - next()) * day.meanHandleSeconds)
    agentFreeAt[agent] = t + handle
    busySeconds += handle
    handleSum += handle
    handled++
    return true
  }

  for (let t = 0; t < day.seconds; t++) {
    const step = { t, dialled: 0, answered: 0, abandoned: 0, ended: 0 }
    const stillRinging: Array<Ringing> = []
    for (const call of ringing) {
      if (call.endsAt > t) {
        stillRinging.push(call)
        continue
      }
      step.ended++
      if (call.answered) {
        step.answered++
        waiting.push(t)
      }
    }
    ringing = stillRinging
    waiting = waiting.filter((since) => {
      if (takeAgent(t)) return false
      if (t - since >= 2) {
        step.abandoned++
        return false
      }
      return true
    })

    const sum = (key: "ended" | "answered" | "abandoned") => windowSums[key] + step[key]
    const free = agentFreeAt.filter((at) => at <= t).length - waiting.length
    const figures: CampaignFigures = {
      freeAgents: Math.max(0, free),
      busyAgents: day.agents - agentFreeAt.filter((at) => at <= t).length,
      callsInFlight: ringing.length,
      acceptedPreviews: 0,
      pendingContacts: 1_000_000,
      answerRate: sum("ended") > 0 ? sum("answered") / sum("ended") : 0,
      dialsMeasured: sum("ended"),
      abandonRate: sum("answered") > 0 ? sum("abandoned") / sum("answered") : 0,
      answersMeasured: sum("answered"),
      averageHandleSeconds: handled > 0 ? handleSum / handled : day.meanHandleSeconds,
    }
    const launches = launchesFor(figures)
    for (let i = 0; i < launches; i++) {
      // Rings 5–25 s, then is answered or given up.
      ringing.push({ endsAt: t + 5 + Math.floor(next() * 21), answered: next() < day.answerRate })
      step.dialled++
    }
    dialled += step.dialled
    answered += step.answered
    abandoned += step.abandoned
    history.push(step)
    windowSums.ended += step.ended
    windowSums.answered += step.answered
    windowSums.abandoned += step.abandoned
    if (history.length > windowSeconds) {
      const old = history.shift()
      if (old !== undefined) {
        windowSums.ended -= old.ended
        windowSums.answered -= old.answered
        windowSums.abandoned -= old.abandoned
      }
    }
  }
  return { dialled, answered, abandoned, agentBusySeconds: busySeconds }
}
