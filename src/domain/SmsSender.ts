// The sender an SMS goes out from (exotel-protocol.md §2.5): a DLT header, the sender id registered on the
// operators' DLT portals ("MNGWLE"), or an ExoPhone linked to one.
import { Schema } from "effect"

export const SmsSender = Schema.String.pipe(
  Schema.pattern(/^(\+[0-9]{6,15}|[A-Za-z0-9]{1,15})$/, {
    message: () => "must be a DLT sender id or an ExoPhone of 1 to 15 letters or digits",
  }),
).annotations({ identifier: "SmsSender" })
