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
