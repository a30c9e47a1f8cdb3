import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { binomialTailAbove, largestSafeDials } from "../../src/policy/pacing/binomial.js"
import { type CampaignFigures, defaultPacingConfig } from "../../src/policy/pacing/figures.js"
import { initialPaceState, paceStep } from "../../src/policy/pacing/pace.js"
import { predictiveLaunches } from "../../src/policy/pacing/predictive.js"
import { previewLaunches, progressiveLaunches } from "../../src/policy/pacing/progressive.js"
import { simulateDay } from "./callCentreDay.js"

const figuresArbitrary: fc.Arbitrary<CampaignFigures> = fc.record({
  freeAgents: fc.integer({ min: 0, max: 50 }),
  busyAgents: fc.integer({ min: 0, max: 50 }),
  callsInFlight: fc.integer({ min: 0, max: 100 }),
  acceptedPreviews: fc.integer({ min: 0, max: 20 }),
  pendingContacts: fc.integer({ min: 0, max: 10_000 }),
  answerRate: fc.double({ min: 0, max: 1, noNaN: true }),
  dialsMeasured: fc.integer({ min: 0, max: 5000 }),
  abandonRate: fc.double({ min: 0, max: 0.2, noNaN: true }),
  answersMeasured: fc.integer({ min: 0, max: 2000 }),
  averageHandleSeconds: fc.double({ min: 0, max: 900, noNaN: true }),
})

const config = defaultPacingConfig

describe("progressive and preview", () => {
  it("never have more calls ringing than free agents, nor dial more than is pending", () => {
    fc.assert(
      fc.property(figuresArbitrary, (f) => {
        const launches = progressiveLaunches(f, config)
        expect(launches).toBeGreaterThanOrEqual(0)
        expect(launches).toBeLessThanOrEqual(f.pendingContacts)
        if (launches > 0) expect(f.callsInFlight + launches).toBeLessThanOrEqual(f.freeAgents)
      }),
      { numRuns: 1000 },
    )
  })

  it("preview dials only contacts an agent accepted", () => {
    fc.assert(
      fc.property(figuresArbitrary, (f) => {
        expect(previewLaunches(f)).toBe(Math.min(f.acceptedPreviews, f.pendingContacts))
      }),
      { numRuns: 1000 },
    )
  })

  it("an agentless campaign stays under its concurrency cap", () => {
    fc.assert(
      fc.property(figuresArbitrary, (f) => {
        const launches = progressiveLaunches(f, config, true)
        if (launches > 0) expect(f.callsInFlight + launches).toBeLessThanOrEqual(config.concurrencyCap)
      }),
      { numRuns: 1000 },
    )
  })
})

describe("predictive and PACE", () => {
  it("dial at least as many as progressive, never more than is pending, and only progressive at the cap", () => {
    fc.assert(
      fc.property(figuresArbitrary, (f) => {
        const predictive = predictiveLaunches(f, config)
        const pace = paceStep(initialPaceState(config), f, config).launches
        for (const launches of [predictive, pace]) {
          expect(launches).toBeGreaterThanOrEqual(progressiveLaunches(f, config))
          expect(launches).toBeLessThanOrEqual(f.pendingContacts)
        }
        if (f.answersMeasured >= 20 && f.abandonRate >= config.abandonCap) {
          expect(predictive).toBe(progressiveLaunches(f, config))
          expect(pace).toBe(progressiveLaunches(f, config))
        }
      }),
      { numRuns: 1000 },
    )
  })

  it("the binomial tail agrees with counting outcomes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: -1, max: 13 }),
        (n, p, k) => {
          let exact = 0
          for (let mask = 0; mask < 1 << n; mask++) {
            let ones = 0
            for (let i = 0; i < n; i++) if (mask & (1 << i)) ones++
            if (ones > k) exact += p ** ones * (1 - p) ** (n - ones)
          }
          expect(binomialTailAbove(n, p, k)).toBeCloseTo(exact, 9)
        },
      ),
      { numRuns: 1000 },
    )
    expect(largestSafeDials(0.3, 5, 0.015, 100)).toBeGreaterThan(5)
  })

  const days = fc.record({
    agents: fc.integer({ min: 2, max: 25 }),
    answerRate: fc.double({ min: 0.15, max: 0.9, noNaN: true }),
    meanHandleSeconds: fc.integer({ min: 30, max: 600 }),
    seconds: fc.constant(4 * 3600),
    seed: fc.integer(),
  })

  it("keep the abandon rate under 3% over simulated days of random answer and handle times", () => {
    fc.assert(
      fc.property(days, (day) => {
        const predictive = simulateDay(day, (f) => predictiveLaunches(f, config))
        let state = initialPaceState(config)
        const pace = simulateDay(day, (f) => {
          const step = paceStep(state, f, config)
          state = step.state
          return step.launches
        })
        const progressive = simulateDay(day, (f) => progressiveLaunches(f, config))
        expect(progressive.abandoned).toBe(0)
        for (const result of [predictive, pace]) {
          expect(result.answered).toBeGreaterThan(0)
          expect(result.abandoned / result.answered).toBeLessThanOrEqual(config.abandonCap)
        }
      }),
      { numRuns: 60 },
    )
  }, 120_000)
})
