// URLs the gateway is given to call or to hand out: callbacks, service URLs. Only http and https.
import { Schema } from "effect"

export const HttpUrl = Schema.String.pipe(
  Schema.filter(
    (s) => {
      try {
        const url = new URL(s)
        return url.protocol === "http:" || url.protocol === "https:"
      } catch {
        return false
      }
    },
    { message: (issue) => `must be an http(s) URL, got ${JSON.stringify(issue.actual)}` },
  ),
).annotations({ identifier: "HttpUrl" })

/** Whether a URL names a user or password (`https://key:token@host`). */
export const carriesCredentials = (url: string): boolean => {
  try {
    const parsed = new URL(url)
    return parsed.username !== "" || parsed.password !== ""
  } catch {
    return false
  }
}

/**
 * The URL of an upstream the gateway holds credentials for: http(s), with no `user:password@`. Exotel's own
 * examples put the key and token there, but a service URL is shown wherever the upstream is named (GET /health
 * answers anyone), while the credentials are settings of their own, sealed at rest and shown masked. Its
 * message never repeats the value, which may hold them.
 */
export const ServiceUrl = Schema.String.pipe(
  Schema.filter((s) => Schema.is(HttpUrl)(s) && !carriesCredentials(s), {
    message: () =>
      "must be an http(s) URL with no user:password@ in it; the credentials go in apiKey and apiToken",
  }),
).annotations({ identifier: "ServiceUrl" })
