// The campaign's pure rules: the state machine, how an attempt is settled, templates, and the launch decision.
import { describe, expect, it } from "@effect/vitest"
import { Duration } from "effect"
import * as fc from "fast-check"
import { campaignDialers, campaignStatuses } from "../../src/domain/Campaign.js"
import { defaultRetryConfig } from "../../src/domain/Retry.js"
import { defaultTimingConfig } from "../../src/domain/Timing.js"
import { campaignFigures, launchesFor } from "../../src/policy/campaign/launches.js"
import { type CampaignCommand, transition } from "../../src/policy/campaign/lifecycle.js"
import { outcomeOfCallStatus, resolveAttempt } from "../../src/policy/campaign/outcome.js"
import { renderTemplate } from "../../src/policy/campaign/template.js"
import { defaultPacingConfig } from "../../src/policy/pacing/figures.js"
import { isAllowedAt } from "../../src/policy/timing/decide.js"

const commands: ReadonlyArray<CampaignCommand> = ["pause", "resume", "cancel", "complete"]

describe("the campaign state machine", () => {
  it("from any status, any run of commands ends in a known status, and a finished campaign never moves", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...campaignStatuses),
        fc.array(fc.constantFrom(...commands)),
        (start, run) => {
          let status = start
          for (const command of run) {
            const result = transition(status, command)
            if (status === "completed" || status === "cancelled") expect(result._tag).toBe("Impossible")
            if (result._tag === "Moved") status = result.status
          }
          expect(campaignStatuses).toContain(status)
        },
      ),
    )
  })

  it("pause then resume comes back to active; resume of an active campaign is impossible", () => {
    expect(transition("active", "pause")).toEqual({ _tag: "Moved", status: "paused" })
    expect(transition("paused", "resume")).toEqual({ _tag: "Moved", status: "active" })
    expect(transition("active", "resume")._tag).toBe("Impossible")
    expect(transition("paused", "complete")._tag).toBe("Impossible")
  })
})

describe("settling an attempt", () => {
  const base = {
    attempts: 1,
    endedAt: Date.UTC(2026, 0, 5, 6, 0), // Monday 11:30 IST
    retry: defaultRetryConfig,
    delays: [Duration.seconds(300), Duration.seconds(600)],
    timing: defaultTimingConfig,
    purpose: "payment_reminder" as const,
  }

  it("maps Exotel's terminal statuses to outcomes", () => {
    expect(["completed", "busy", "no-answer", "failed", "canceled"].map(outcomeOfCallStatus)).toEqual([
      "completed",
      "busy",
      "no_answer",
      "network_error",
      "failed",
    ])
  })

  it("retries busy after the schedule's delay, stops after maxAttempts, never retries a completed call", () => {
    expect(resolveAttempt({ ...base, outcome: "busy" })).toEqual({
      _tag: "Retry",
      at: base.endedAt + 300_000,
    })
    expect(resolveAttempt({ ...base, outcome: "no_answer", attempts: 2 })).toEqual({
      _tag: "Retry",
      at: base.endedAt + 600_000,
    })
    expect(resolveAttempt({ ...base, outcome: "busy", attempts: 3 })._tag).toBe("Done")
    expect(resolveAttempt({ ...base, outcome: "completed" })._tag).toBe("Done")
    expect(resolveAttempt({ ...base, outcome: "abandoned" })._tag).toBe("Done")
    expect(
      resolveAttempt({ ...base, outcome: "busy", retry: { ...defaultRetryConfig, retryOnBusy: false } })._tag,
    ).toBe("Done")
  })

  it("a retry always lands inside the purpose's allowed hours", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) }),
        fc.integer({ min: 1, max: 86_400 }),
        fc.constantFrom("payment_reminder", "promotional_offer", "order_confirmation"),
        (endedAt, delaySeconds, purpose) => {
          const resolved = resolveAttempt({
            ...base,
            purpose,
            endedAt,
            outcome: "busy",
            delays: [Duration.seconds(delaySeconds)],
          })
          expect(resolved._tag).toBe("Retry")
          if (resolved._tag === "Retry") {
            expect(resolved.at).toBeGreaterThanOrEqual(endedAt + delaySeconds * 1000)
            expect(isAllowedAt(resolved.at, defaultTimingConfig, purpose, "call")).toBe(true)
          }
        },
      ),
    )
  })
})

describe("templates", () => {
  it("fill in the name and metadata keys and leave unknown variables as written", () => {
    expect(
      renderTemplate("Hello {{name}}, {{ orderCount }} orders since {{lastOrderDate}} {{missing}}", {
        name: "John Doe",
        metadata: { orderCount: 5, lastOrderDate: "2024-01-15" },
      }),
    ).toBe("Hello John Doe, 5 orders since 2024-01-15 {{missing}}")
  })
})

describe("launches", () => {
  const measured = fc.record({
    freeAgents: fc.nat(50),
    busyAgents: fc.nat(50),
    callsInFlight: fc.nat(100),
    acceptedPreviews: fc.nat(20),
    pendingContacts: fc.nat(10_000),
    resolved: fc.nat(1_000),
    answered: fc.nat(1_000),
    abandoned: fc.nat(50),
    averageHandleSeconds: fc.option(fc.integer({ min: 1, max: 900 }), { nil: null }),
  })

  it("progressive never rings more calls than free agents; agentless never more than its cap", () => {
    fc.assert(
      fc.property(measured, fc.constantFrom(...campaignDialers), (m, dialer) => {
        const figures = campaignFigures(dialer, m)
        const { launches } = launchesFor(dialer, figures, defaultPacingConfig, undefined)
        expect(launches).toBeGreaterThanOrEqual(0)
        expect(launches).toBeLessThanOrEqual(figures.pendingContacts)
        if (dialer === "progressive")
          expect(launches + m.callsInFlight).toBeLessThanOrEqual(Math.max(m.freeAgents, m.callsInFlight))
        if (dialer === "agentless")
          expect(launches + m.callsInFlight).toBeLessThanOrEqual(
            Math.max(defaultPacingConfig.concurrencyCap, m.callsInFlight),
          )
        if (dialer === "preview") expect(launches).toBeLessThanOrEqual(m.acceptedPreviews)
      }),
    )
  })
})
