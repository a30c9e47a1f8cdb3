// Every request the simulator received, in order: tests and benchmarks count calls placed and messages sent.

export type LedgerKind =
  | "call"
  | "call_details"
  | "sms"
  | "bulk_sms"
  | "whatsapp"
  | "greenvn"
  | "callback"
  | "recording"
  | "unknown"

export interface LedgerEntry {
  readonly at: number
  readonly kind: LedgerKind
  readonly method: string
  readonly path: string
  /** The request's fields (form or JSON), or for a callback the fields sent. */
  readonly fields: Readonly<Record<string, unknown>>
  /** The HTTP status answered (for a callback: the status the gateway answered, 0 if unreachable). */
  readonly status: number
}

export class SimLedger {
  private readonly entries: Array<LedgerEntry> = []
  record(entry: LedgerEntry): void {
    this.entries.push(entry)
  }
  all(): ReadonlyArray<LedgerEntry> {
    return [...this.entries]
  }
  /** Requests of a kind that the simulator accepted (2xx). */
  accepted(kind: LedgerKind): ReadonlyArray<LedgerEntry> {
    return this.entries.filter((e) => e.kind === kind && e.status >= 200 && e.status < 300)
  }
}
