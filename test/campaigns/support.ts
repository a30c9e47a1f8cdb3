// Helpers for campaign tests: contact numbers that pick the simulator's scenarios, and waiting for a campaign.
import { type Duration, Effect, Schedule } from "effect"
import type { LedgerEntry } from "../../src/sim/exotel/ledger.js"
import { get } from "../support/upstream.js"

/**
 * The i-th plain contact: an Indian mobile whose last three digits stay below 900, so the simulator answers it
 * and completes the call (its scenarios live at 991–998).
 */
export const plainContact = (i: number, series = 7) =>
  `+91${series}${String(Math.floor(i / 900)).padStart(6, "0")}${String(i % 900).padStart(3, "0")}`

/** A contact that gets a scenario: 991 busy, 992 no-answer, 993 failed, … */
export const scenarioContact = (i: number, suffix: string, series = 8) =>
  `+91${series}${String(i).padStart(6, "0")}${suffix}`

/** Calls per contact, by the number Exotel dialled for it. */
export const callsTo = (entries: ReadonlyArray<LedgerEntry>) => {
  const counts = new Map<string, number>()
  for (const entry of entries) {
    if (entry.kind !== "call" || entry.status < 200 || entry.status >= 300) continue
    // An agentless call is connected straight to the voice stream: the contact is its From, and it has no To.
    const to = String(entry.fields.To ?? entry.fields.From)
    counts.set(to, (counts.get(to) ?? 0) + 1)
  }
  return counts
}

export const campaignStatus = (id: string) =>
  Effect.map(get(`/campaigns/${id}`), (r) => String(r.body.status))

/** Polls every 200 ms: a tighter poll would compete with the runner for the one embedded connection. */
export const untilCampaign = (id: string, status: string, within: Duration.DurationInput = "30 seconds") =>
  campaignStatus(id).pipe(
    Effect.filterOrFail(
      (s) => s === status,
      () => "not yet" as const,
    ),
    Effect.retry({ schedule: Schedule.spaced("200 millis"), while: (e) => e === "not yet" }),
    Effect.timeoutFail({
      duration: within,
      onTimeout: () => new Error(`campaign ${id} not ${status} in time`),
    }),
  )
