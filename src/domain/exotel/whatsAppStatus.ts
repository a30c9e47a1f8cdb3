// Exotel's WhatsApp delivery report. exotel-protocol.md §3.2 gives two shapes and calls neither certain: a flat
// {sid, status, …} and, by analogy with RCS, {whatsapp: {messages: [{sid, exo_detailed_status, …}]}}. Both are
// accepted and reduced to (sid, status) pairs.
import { Schema } from "effect"

const Code = Schema.optional(Schema.NullOr(Schema.Union(Schema.Number, Schema.String)))
const Text = Schema.optional(Schema.NullOr(Schema.String))

const FlatReport = Schema.Struct({
  sid: Schema.String,
  status: Schema.String,
  from: Text,
  to: Text,
  exo_status_code: Code,
  timestamp: Text,
  custom_data: Text,
})

const NestedMessage = Schema.Struct({
  sid: Schema.String,
  status: Text,
  callback_type: Text,
  to: Text,
  exo_status_code: Code,
  exo_detailed_status: Text,
  description: Text,
  timestamp: Text,
  custom_data: Text,
})

const NestedReport = Schema.Struct({
  whatsapp: Schema.Struct({ messages: Schema.Array(NestedMessage).pipe(Schema.minItems(1)) }),
})

export const WhatsAppStatusCallback = Schema.Union(FlatReport, NestedReport).annotations({
  identifier: "WhatsAppStatusCallback",
})
export type WhatsAppStatusCallback = typeof WhatsAppStatusCallback.Type

export const whatsAppStatuses = ["accepted", "sent", "delivered", "seen", "failed"] as const
export type WhatsAppStatus = (typeof whatsAppStatuses)[number]

/** Meta's words (read, undelivered…) and Exotel's detailed statuses, in the gateway's five. */
export const normaliseWhatsAppStatus = (raw: string): WhatsAppStatus | undefined => {
  const s = raw.toLowerCase()
  if (/fail|undeliver|reject|expire|error/.test(s)) return "failed"
  if (/seen|read/.test(s)) return "seen"
  if (/deliver/.test(s)) return "delivered"
  if (/sent|submit/.test(s)) return "sent"
  return undefined
}

/** Later statuses win; an earlier one arriving late (delivered after seen) changes nothing. */
export const whatsAppStatusRank = (status: string): number => {
  const rank = (whatsAppStatuses as ReadonlyArray<string>).indexOf(status)
  return rank === -1 ? 0 : rank
}

export interface WhatsAppReport {
  readonly sid: string
  readonly status: WhatsAppStatus
  readonly raw: string
}

/** The reports a callback carries; entries whose status says nothing known are dropped. */
export const reportsOf = (callback: WhatsAppStatusCallback): ReadonlyArray<WhatsAppReport> => {
  const entries =
    "whatsapp" in callback
      ? callback.whatsapp.messages.map((m) => ({
          sid: m.sid,
          raw: m.status ?? m.exo_detailed_status ?? m.description ?? "",
        }))
      : [{ sid: callback.sid, raw: callback.status }]
  return entries.flatMap((e) => {
    const status = normaliseWhatsAppStatus(e.raw)
    return status === undefined ? [] : [{ sid: e.sid, status, raw: e.raw }]
  })
}
