// A call session's handle on its voice stream: what it may send, and how it hangs up. The socket bridge
// makes one per WebSocket; the session never touches the socket itself.
import type { Effect } from "effect"
import type { Outbound, SampleRate } from "./protocol.js"

export interface StreamLink {
  readonly streamSid: string
  readonly rate: SampleRate
  readonly send: (message: Outbound) => Effect.Effect<void>
  /** Closes the socket; with Connect Voice AI that ends the call. */
  readonly close: Effect.Effect<void>
}
