// A WebSocket path claimed on the gateway's server: its upgrade requests go straight to the claimant and never
// reach the router. The stream claims its path through this tag; the HTTP server (src/http/NodeServer.ts)
// provides it, so the stream knows the claim and not the server that honours it.
import type { IncomingMessage } from "node:http"
import type { Duplex } from "node:stream"
import { Context, type Effect, type Scope } from "effect"

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void

/** A refusal of an upgrade before its claimant sees it: the status, headers and JSON body to answer with. */
export interface UpgradeRefusal {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
}

export type UpgradeGate = (request: IncomingMessage) => UpgradeRefusal | undefined

export class UpgradeRoutes extends Context.Tag("UpgradeRoutes")<
  UpgradeRoutes,
  {
    /** Upgrades to exactly this path go to `handler` for as long as the scope is open. */
    readonly claim: (path: string, handler: UpgradeHandler) => Effect.Effect<void, never, Scope.Scope>
    /** Every claimed upgrade passes `gate` first, for as long as the scope is open. */
    readonly guard: (gate: UpgradeGate) => Effect.Effect<void, never, Scope.Scope>
  }
>() {}
