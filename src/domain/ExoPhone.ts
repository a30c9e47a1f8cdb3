// An ExoPhone: the Exotel virtual number a call or SMS is placed from. Exotel takes it as written —
// E.164, or a national number such as "08040XXXXX" — so it is checked for shape, not normalised.
import { Schema } from "effect"

export const ExoPhone = Schema.String.pipe(
  Schema.pattern(/^\+?[0-9]{6,15}$/, {
    message: (issue) => `must be an ExoPhone of 6 to 15 digits, got ${JSON.stringify(issue.actual)}`,
  }),
).annotations({ identifier: "ExoPhone" })
