// What a call session's mailbox carries: plain data, so it could cross a process boundary later.
import type { Deferred } from "effect"
import type { LogEntry } from "../store/VoiceCallsRepo.js"
import type { StreamLink } from "../stream/StreamLink.js"
import type { FlowEvent } from "./callFlow.js"

export type SessionMessage =
  /** A flow event, where it came from, and (for callbacks) the key that makes a repeat a no-op. */
  | {
      readonly _tag: "Flow"
      readonly event: FlowEvent
      readonly source: LogEntry["source"]
      readonly detail?: unknown
      readonly dedupKey?: string | undefined
      readonly recordingUrl?: string | null | undefined
      /** Completed once the event is persisted: true if applied, false if a repeat or recorded only. */
      readonly reply?: Deferred.Deferred<boolean> | undefined
    }
  /** The call's voice stream connected. The link is process-local; it stays with the socket's process. */
  | { readonly _tag: "Attach"; readonly link: StreamLink }
  /** The voice stream is gone. */
  | { readonly _tag: "Detach" }
  /** The caller started talking over a prompt (barge-in, where the flow allows it): cut the prompt off. */
  | { readonly _tag: "CallerSpoke" }
  /** The gateway is shutting down: stop after what is already in the mailbox. */
  | { readonly _tag: "Drain" }
