// The simulator's deterministic scenarios, chosen by the last three digits of the destination number. The
// table is documented in README.md ("Exotel simulator"); tests and benchmarks pick numbers from it.

export type Scenario =
  | "answered"
  | "busy"
  | "no-answer"
  | "failed"
  | "slow"
  | "rate-limited-once"
  | "rate-limited"
  | "unavailable"
  | "ndnc"

export const scenarioSuffixes: ReadonlyArray<readonly [suffix: string, scenario: Scenario]> = [
  ["991", "busy"],
  ["992", "no-answer"],
  ["993", "failed"],
  ["994", "slow"],
  ["995", "rate-limited-once"],
  ["996", "rate-limited"],
  ["997", "unavailable"],
  ["998", "ndnc"],
]

export const scenarioFor = (destination: string): Scenario =>
  scenarioSuffixes.find(([suffix]) => destination.endsWith(suffix))?.[1] ?? "answered"

/** The terminal call status Exotel reports for a scenario that was accepted. */
export const terminalCallStatus = (scenario: Scenario): "completed" | "busy" | "no-answer" | "failed" => {
  switch (scenario) {
    case "busy":
      return "busy"
    case "no-answer":
      return "no-answer"
    case "failed":
      return "failed"
    default:
      return "completed"
  }
}

/** The terminal SMS status: a failed scenario fails, a busy one (the number is on DND) is failed_dnd. */
export const terminalSmsStatus = (scenario: Scenario): "sent" | "failed" | "failed_dnd" =>
  scenario === "failed" ? "failed" : scenario === "busy" ? "failed_dnd" : "sent"
