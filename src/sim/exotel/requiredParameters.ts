// What Exotel requires of each request before it accepts it (exotel-protocol.md decision 12; §1.5, §2.2–2.5,
// §3.1–3.2), and the 400 it answers when a required parameter is missing or a request comes in a shape no
// Exotel page describes. Pure: a request's fields in, the refusal (or what was read) out; the simulator and
// the Connect Voice AI stand-in both ask here, so a test that passes against either passes against Exotel's
// rules.
import { list, restException, text } from "./wireFormat.js"

export interface Refusal {
  readonly status: 400
  readonly body: unknown
}

const missing = (name: string): Refusal => ({
  status: 400,
  body: restException(400, `Missing parameter: ${name}`),
})

const invalid = (name: string, why: string): Refusal => ({
  status: 400,
  body: restException(400, `Invalid parameter: ${name} ${why}`),
})

/** A parameter sent empty (`From=`) is as missing to Exotel as one never sent. */
const given = (fields: unknown, name: string): string | undefined => {
  const value = text(fields, name)
  return value === undefined || value.trim() === "" ? undefined : value
}

const oneOf = (fields: unknown, name: string, allowed: ReadonlyArray<string>): Refusal | undefined => {
  const value = given(fields, name)
  return value === undefined || allowed.includes(value)
    ? undefined
    : invalid(name, `must be one of ${allowed.join(", ")}`)
}

const atMost = (fields: unknown, name: string, max: number): Refusal | undefined => {
  const value = given(fields, name)
  return value !== undefined && value.length > max
    ? invalid(name, `must be at most ${max} characters`)
    : undefined
}

const first = (...checks: ReadonlyArray<() => Refusal | undefined>): Refusal | undefined => {
  for (const check of checks) {
    const refusal = check()
    if (refusal !== undefined) return refusal
  }
  return undefined
}

/** Every Indian destination needs the DLT entity (TRAI); a number with another country code does not. */
const isIndian = (to: string): boolean => !to.trim().startsWith("+") || to.trim().startsWith("+91")

/**
 * Calls/connect: `From` and `CallerId` always; then `To` (connect two numbers, §2.2), `Url` (connect to a flow)
 * or `StreamUrl` (Connect Voice AI, §1.5, which also needs `StreamType`).
 */
export const connectCallRefusal = (fields: unknown): Refusal | undefined => {
  const to = given(fields, "To")
  const url = given(fields, "Url")
  const streamUrl = given(fields, "StreamUrl")
  return first(
    () => (given(fields, "From") === undefined ? missing("From") : undefined),
    () => (given(fields, "CallerId") === undefined ? missing("CallerId") : undefined),
    () => (to === undefined && url === undefined && streamUrl === undefined ? missing("To") : undefined),
    () =>
      to === undefined && url === undefined && given(fields, "StreamType") === undefined
        ? missing("StreamType")
        : undefined,
    () => oneOf(fields, "StreamType", ["bidirectional", "unidirectional"]),
    () =>
      streamUrl !== undefined && !/^wss?:\/\//.test(streamUrl)
        ? invalid("StreamUrl", "must be a ws:// or wss:// URL")
        : undefined,
    () => atMost(fields, "StreamUrl", 599),
    () => atMost(fields, "CustomField", 128),
    () => {
      const limit = given(fields, "TimeLimit")
      return limit !== undefined && !(/^\d+$/.test(limit) && Number(limit) <= 14_400)
        ? invalid("TimeLimit", "must be a number of seconds, at most 14400")
        : undefined
    },
    () => oneOf(fields, "CallType", ["trans"]),
    () => oneOf(fields, "StatusCallbackContentType", ["multipart/form-data", "application/json"]),
    () =>
      list(fields, "StatusCallbackEvents[]").every((e) => ["terminal", "answered", "ringing"].includes(e))
        ? undefined
        : invalid("StatusCallbackEvents[]", "must each be terminal, answered or ringing"),
  )
}

/** Calls.json (bulk call details, §2.3): nothing is required, but a page holds at most 100 calls. */
export const callListRefusal = (query: URLSearchParams): Refusal | undefined => {
  const size = query.get("PageSize")
  if (size !== null && !(/^\d+$/.test(size) && Number(size) >= 1 && Number(size) <= 100))
    return invalid("PageSize", "must be from 1 to 100")
  const created = query.get("DateCreated")
  if (created !== null && !/^(gte|lte):[^;]+(;(gte|lte):[^;]+)?$/.test(created))
    return invalid("DateCreated", 'must be "gte:<time>", "lte:<time>" or both, joined by ";"')
  return undefined
}

/** Calls/<sid>.json (§2.3): a recording URL's validity is 5 to 60 minutes. */
export const callDetailsRefusal = (query: URLSearchParams): Refusal | undefined => {
  const validity = query.get("RecordingUrlValidity")
  return validity !== null && !(/^\d+$/.test(validity) && Number(validity) >= 5 && Number(validity) <= 60)
    ? invalid("RecordingUrlValidity", "must be from 5 to 60 minutes")
    : undefined
}

/** The checks one SMS takes, on Sms/send or as one message of Sms/bulksend; `name` spells a parameter. */
const smsRefusal = (fields: unknown, name: (parameter: string) => string): Refusal | undefined =>
  first(
    () => (given(fields, "From") === undefined ? missing(name("From")) : undefined),
    () => (given(fields, "To") === undefined ? missing(name("To")) : undefined),
    () => (given(fields, "Body") === undefined ? missing(name("Body")) : undefined),
    () => {
      const body = given(fields, "Body")
      return body !== undefined && body.length > 2000
        ? invalid(name("Body"), "must be at most 2000 characters")
        : undefined
    },
    () =>
      (given(fields, "To") ?? "").split(",").some(isIndian) && given(fields, "DltEntityId") === undefined
        ? missing(name("DltEntityId"))
        : undefined,
    () => oneOf(fields, "EncodingType", ["plain", "unicode"]),
    () => oneOf(fields, "Priority", ["normal", "high"]),
    () => oneOf(fields, "SmsType", ["transactional", "transactional_opt_in", "promotional"]),
  )

/** Sms/send (§2.5): `From`, `To` and `Body`, and `DltEntityId` for India. */
export const sendSmsRefusal = (fields: unknown): Refusal | undefined => smsRefusal(fields, (p) => p)

/** One message of a bulk send: its own fields, with the request's outer ones (`From`…) beneath them. */
export interface BulkMessage {
  readonly to: string
  readonly body: string
  readonly from: string
  readonly fields: Readonly<Record<string, string>>
}

export const maxBulkMessages = 100

const strings = (value: unknown): Record<string, string> =>
  typeof value === "object" && value !== null
    ? Object.fromEntries(
        Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
      )
    : {}

/** `Messages[3][To]=…` form fields as the messages they spell, in index order. */
const formMessages = (fields: Record<string, string>): ReadonlyArray<Record<string, string>> => {
  const byIndex = new Map<number, Record<string, string>>()
  for (const [key, value] of Object.entries(fields)) {
    const match = /^Messages\[(\d+)\]\[([A-Za-z]+)\]$/.exec(key)
    if (match === null) continue
    const index = Number(match[1])
    byIndex.set(index, { ...byIndex.get(index), [String(match[2])]: value })
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, message]) => message)
}

const outerKeys = ["From", "DltEntityId", "DltTemplateId", "SmsType", "StatusCallback"] as const

/**
 * Sms/bulksend (§2.5, decision 13) in either documented shape: form fields, an outer `From` and
 * `Messages[i][To]`, `Messages[i][Body]`…, or JSON `{"sms": [{From, To, Body, DltEntityId}, …]}`; at most 100
 * messages, each with one `To`. A `To` list belongs to Sms/send, and is refused here.
 */
export const readBulkSend = (
  request: unknown,
): { readonly refusal: Refusal } | { readonly messages: ReadonlyArray<BulkMessage> } => {
  const json: unknown =
    typeof request === "object" && request !== null ? Reflect.get(request, "sms") : undefined
  const outer = strings(request)
  const [raw, name] = Array.isArray(json)
    ? [json.map(strings), (i: number) => (p: string) => `sms[${i}].${p}`]
    : [formMessages(outer), (i: number) => (p: string) => `Messages[${i}][${p}]`]
  if (raw.length === 0) {
    return {
      refusal:
        outer.To === undefined
          ? missing("Messages")
          : invalid("To", "is not a parameter of Sms/bulksend: send Messages[i][To] and Messages[i][Body]"),
    }
  }
  if (raw.length > maxBulkMessages)
    return { refusal: invalid("Messages", `must hold at most ${maxBulkMessages} messages a request`) }
  const inherited = Array.isArray(json)
    ? {}
    : Object.fromEntries(outerKeys.flatMap((k) => (outer[k] === undefined ? [] : [[k, outer[k]] as const])))
  const messages: Array<BulkMessage> = []
  for (const [i, own] of raw.entries()) {
    const fields = { ...inherited, ...own }
    const refusal =
      smsRefusal(fields, name(i)) ??
      ((fields.To ?? "").includes(",") ? invalid(name(i)("To"), "must be one number") : undefined)
    if (refusal !== undefined) return { refusal }
    messages.push({ to: fields.To ?? "", body: fields.Body ?? "", from: fields.From ?? "", fields })
  }
  return { messages }
}

const isObject = (value: unknown): value is object => typeof value === "object" && value !== null

/** v2 messages (WhatsApp, §3.2): `whatsapp.messages[]`, each with `from`, `to` and a typed `content`. */
export const whatsAppRefusal = (body: unknown): Refusal | undefined => {
  const channel: unknown = isObject(body) ? Reflect.get(body, "whatsapp") : undefined
  if (!isObject(channel)) return missing("whatsapp")
  const messages: unknown = Reflect.get(channel, "messages")
  if (!Array.isArray(messages) || messages.length === 0) return missing("whatsapp.messages")
  for (const [i, message] of messages.entries()) {
    for (const key of ["from", "to"]) {
      if (given(message, key) === undefined) return missing(`whatsapp.messages[${i}].${key}`)
    }
    const content: unknown = isObject(message) ? Reflect.get(message, "content") : undefined
    if (!isObject(content)) return missing(`whatsapp.messages[${i}].content`)
    if (given(content, "type") === undefined) return missing(`whatsapp.messages[${i}].content.type`)
  }
  return undefined
}

/** GreenVN's own envelope for a refusal (§3.1), not a RestException. */
const greenVnRefusal = (message: string): Refusal => ({
  status: 400,
  body: { success: false, status: 400, code: null, message, data: null },
})

const numbers = (body: unknown, key: string): ReadonlyArray<unknown> | undefined => {
  const value: unknown = isObject(body) ? Reflect.get(body, key) : undefined
  return Array.isArray(value) && value.length > 0 ? value : undefined
}

/** GreenVN allocation (§3.1): `connection_id`, `aparty_numbers`, `bparty_numbers` (E.164) and `usage`. */
export const greenVnAllocationRefusal = (body: unknown): Refusal | undefined => {
  if (given(body, "connection_id") === undefined) return greenVnRefusal("Missing parameter: connection_id")
  for (const key of ["aparty_numbers", "bparty_numbers"]) {
    const parties = numbers(body, key)
    if (parties === undefined) return greenVnRefusal(`Missing parameter: ${key}`)
    if (!parties.every((n) => typeof n === "string" && /^\+[1-9]\d{6,14}$/.test(n)))
      return greenVnRefusal(`Invalid parameter: ${key} must be E.164 numbers`)
  }
  const usage = given(body, "usage")
  if (usage === undefined) return greenVnRefusal("Missing parameter: usage")
  if (usage !== "oneway" && usage !== "twoway")
    return greenVnRefusal("Invalid parameter: usage must be oneway or twoway")
  return undefined
}
