// How an Exotel call status ends a voice flow, and the key that makes its delivery idempotent. Shared by the
// status callback and by the reconciler that asks Exotel when a callback never came.
import { createHash } from "node:crypto"
import type { FlowEvent } from "./callFlow.js"

export const exotelOutcome: Readonly<Record<string, FlowEvent>> = {
  completed: { _tag: "Hangup", outcome: "completed" },
  busy: { _tag: "Hangup", outcome: "busy" },
  "no-answer": { _tag: "Hangup", outcome: "no_answer" },
  failed: { _tag: "Hangup", outcome: "failed" },
  canceled: { _tag: "Hangup", outcome: "failed" },
}

/** A key per distinct delivery: the same body (or the same call status) twice gives the same key. */
export const dedupKeyOf = (source: string, body: string) =>
  `${source}:${createHash("sha256").update(body).digest("hex").slice(0, 40)}`

/** The terminal status of a call, however it reached us (callback or reconciliation), is applied once. */
export const exotelTerminalKey = (callSid: string, status: string) =>
  dedupKeyOf("exotel", `${callSid}|${status.toLowerCase()}|terminal`)
