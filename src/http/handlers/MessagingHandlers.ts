// SMS and WhatsApp over HTTP: the Messaging service on the decoded request and its Idempotency-Key.
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { makeMessagingCore } from "../../services/Messaging.js"
import { GatewayApi } from "../GatewayApi.js"

export const MessagingHandlersLive = HttpApiBuilder.group(GatewayApi, "messaging", (handlers) =>
  Effect.map(makeMessagingCore, (core) =>
    handlers
      .handle("sendSms", ({ payload, headers }) => core.sendSms(payload, headers["idempotency-key"]))
      .handle("bulkSms", ({ payload, headers }) => core.sendBulkSms(payload, headers["idempotency-key"]))
      .handle("sendWhatsApp", ({ payload, headers }) =>
        core.sendWhatsApp(payload, headers["idempotency-key"]),
      ),
  ),
)
