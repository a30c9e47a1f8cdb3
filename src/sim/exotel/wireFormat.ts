// How the simulator reads Exotel requests (form or JSON fields), names what it creates, and words Exotel's
// refusals; the server in ExotelSimulator.ts does the I/O.
import { randomBytes } from "node:crypto"
import type { Scenario } from "./scenarios.js"

export type Fields = Record<string, string | ReadonlyArray<string>>

export const isLoopback = (url: string): boolean => {
  try {
    const host = new URL(url).hostname
    return host === "127.0.0.1" || host === "localhost" || host === "[::1]" || host === "::1"
  } catch {
    return false
  }
}

export const parseFields = (contentType: string | undefined, text: string): Fields | unknown => {
  if ((contentType ?? "").includes("application/json")) {
    try {
      return JSON.parse(text)
    } catch {
      return {}
    }
  }
  const fields: Record<string, string | Array<string>> = {}
  for (const [key, value] of new URLSearchParams(text)) {
    const existing = fields[key]
    if (key.endsWith("[]")) fields[key] = [...(Array.isArray(existing) ? existing : []), value]
    else fields[key] = value
  }
  return fields
}

export const text = (fields: unknown, key: string): string | undefined => {
  if (typeof fields !== "object" || fields === null || !(key in fields)) return undefined
  const value: unknown = Reflect.get(fields, key)
  return typeof value === "string" ? value : undefined
}

export const list = (fields: unknown, key: string): ReadonlyArray<string> => {
  if (typeof fields !== "object" || fields === null || !(key in fields)) return []
  const value: unknown = Reflect.get(fields, key)
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []
}

export const sid = () => randomBytes(16).toString("hex")

export const restException = (status: number, message: string, code?: number) => ({
  RestException: { Status: status, Message: message, ...(code === undefined ? {} : { Code: code }) },
})

/** The refusal a scenario gives before anything is accepted, if any. */
export const refusalOf = (
  scenario: Scenario,
  destination: string,
  seen: Set<string>,
): { status: number; body: unknown; retryAfter?: string } | undefined => {
  switch (scenario) {
    case "rate-limited-once":
      if (seen.has(destination)) return undefined
      seen.add(destination)
      return { status: 429, body: restException(429, "Too many requests", 429), retryAfter: "1" }
    case "rate-limited":
      return { status: 429, body: restException(429, "Too many requests", 429), retryAfter: "1" }
    case "unavailable":
      return { status: 503, body: restException(503, "Service Unavailable; ", 35008) }
    case "ndnc":
      return {
        status: 403,
        body: restException(
          403,
          `Call to ${destination} cannot be made because of TRAI NDNC regulations`,
          403,
        ),
      }
    default:
      return undefined
  }
}
