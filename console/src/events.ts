// The gateway's live event stream (GET /console/events, Server-Sent Events). EventSource cannot send an
// Authorization header, so the stream is read with fetch and parsed here; it reconnects after a drop.
import { apiBase } from "./api.js"

export interface CallStatusEvent {
  readonly _tag: "CallStatus"
  readonly callId: string
  readonly kind: string
  readonly status: string
  readonly terminal: boolean
  readonly durationSeconds: number | null
  readonly at: string
}

export interface VoiceCallStepEvent {
  readonly _tag: "VoiceCallStep"
  readonly callId: string
  readonly callType: string
  readonly status: string
  readonly ended: boolean
  readonly attempt: number
  readonly orderId: number | null
  readonly vendorId: number | null
  readonly riderId: number | null
  readonly key: string | null
  readonly prompt: string | null
  readonly promptPlaying: boolean
  readonly at: string
}

export interface NerveCallEvent {
  readonly eventId: string
  readonly type: string
  readonly callId: string
  readonly callType: string
  readonly orderId: number | null
  readonly vendorId: number | null
  readonly riderId: number | null
  readonly prepTimeMinutes: number | null
  readonly reason: string | null
  readonly occurredAt: string
}

export interface DomainEvent {
  readonly _tag: "Domain"
  readonly event: { readonly type: string; readonly callId?: string } & Partial<NerveCallEvent>
}

export type ConsoleEvent = CallStatusEvent | VoiceCallStepEvent | DomainEvent

export type Connection = "connecting" | "live" | "refused" | "lost"

const retryMs = 2000

/** Follows the stream until `signal` aborts; a 401 or 403 stops it for good. */
export const followEvents = (
  token: string,
  signal: AbortSignal,
  onEvent: (event: ConsoleEvent) => void,
  onConnection: (state: Connection) => void,
) => {
  const connect = async (): Promise<void> => {
    onConnection("connecting")
    try {
      const response = await fetch(`${apiBase}/console/events`, {
        headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
        signal,
      })
      if (response.status === 401 || response.status === 403) return onConnection("refused")
      if (!response.ok || response.body === null) throw new Error(`status ${response.status}`)
      onConnection("live")
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
      let buffer = ""
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        buffer += value
        let end = buffer.indexOf("\n\n")
        while (end >= 0) {
          const data = buffer
            .slice(0, end)
            .split("\n")
            .filter((line) => line.startsWith("data:"))
            .map((line) => line.slice(5).trimStart())
            .join("\n")
          buffer = buffer.slice(end + 2)
          if (data !== "") onEvent(JSON.parse(data) as ConsoleEvent)
          end = buffer.indexOf("\n\n")
        }
      }
    } catch {
      if (signal.aborted) return
    }
    if (signal.aborted) return
    onConnection("lost")
    setTimeout(() => void connect(), retryMs)
  }
  void connect()
}
