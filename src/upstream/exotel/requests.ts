// The request bodies Exotel takes, built from plain inputs: form fields for v1, JSON for v2 and GreenVN.

export interface ConnectCall {
  /** Dialled first: the agent for click-to-call, the person to call for a streamed (voice AI) call. */
  readonly from: string
  /** Dialled once `from` answers; absent for a streamed call. */
  readonly to?: string | undefined
  readonly callerId: string
  /** Connect Voice AI: the gateway's voice-stream WebSocket URL. */
  readonly streamUrl?: string | undefined
  readonly streamType?: "bidirectional" | "unidirectional" | undefined
  readonly timeLimit?: number | undefined
  readonly timeOut?: number | undefined
  readonly record?: boolean | undefined
  readonly customField?: string | undefined
  readonly statusCallback?: string | undefined
  readonly statusCallbackEvents?: ReadonlyArray<"terminal" | "answered" | "ringing"> | undefined
}

type Field = readonly [string, string]

const optional = (name: string, value: string | number | boolean | undefined): Array<Field> =>
  value === undefined ? [] : [[name, String(value)]]

export const connectCallForm = (call: ConnectCall): ReadonlyArray<Field> => [
  ["From", call.from],
  ...optional("To", call.to),
  ["CallerId", call.callerId],
  ["CallType", "trans"],
  ...optional("StreamUrl", call.streamUrl),
  ...optional("StreamType", call.streamUrl === undefined ? undefined : (call.streamType ?? "bidirectional")),
  ...optional("TimeLimit", call.timeLimit),
  ...optional("TimeOut", call.timeOut),
  ...optional("Record", call.record),
  ...optional("CustomField", call.customField),
  ...optional("StatusCallback", call.statusCallback),
  ...(call.statusCallback === undefined
    ? []
    : (call.statusCallbackEvents ?? ["terminal", "answered"]).map(
        (event): Field => ["StatusCallbackEvents[]", event],
      )),
]

export interface SendSms {
  /** Exotel requires it (§2.5): a DLT header or an ExoPhone linked to one. */
  readonly from: string
  readonly to: string
  readonly body: string
  readonly encodingType: "plain" | "unicode"
  readonly priority: "normal" | "high"
  readonly smsType: string
  readonly dltEntityId: string
  readonly dltTemplateId: string
  readonly customField?: string | undefined
  readonly statusCallback?: string | undefined
}

export const sendSmsForm = (sms: SendSms): ReadonlyArray<Field> => [["From", sms.from], ...smsFields(sms)]

/** Everything of one SMS but its sender: Sms/send's fields, and those of one message of a bulk send. */
const smsFields = (sms: Omit<SendSms, "from">): ReadonlyArray<Field> => [
  ["To", sms.to],
  ["Body", sms.body],
  ["EncodingType", sms.encodingType],
  ["Priority", sms.priority],
  ["SmsType", sms.smsType],
  ["DltEntityId", sms.dltEntityId],
  ["DltTemplateId", sms.dltTemplateId],
  ...optional("CustomField", sms.customField),
  ...optional("StatusCallback", sms.statusCallback),
]

/** One body to at most 100 recipients (`maxBulkRecipients`), from one sender. */
export interface BulkSms extends Omit<SendSms, "to" | "customField"> {
  readonly to: ReadonlyArray<string>
}

/**
 * Sms/bulksend in the form shape of exotel-protocol.md §2.5 (decision 4: form bodies for v1, decision 13): the
 * outer `From`, then one `Messages[i][…]` object per recipient carrying Sms/send's fields (`To`, `Body`, the
 * DLT ids, `SmsType`, `StatusCallback`…). A comma-separated `To` belongs to Sms/send, never to bulksend.
 */
export const bulkSmsForm = (bulk: BulkSms): ReadonlyArray<Field> => [
  ["From", bulk.from],
  ...bulk.to.flatMap((to, i) =>
    smsFields({ ...bulk, to }).map(([name, value]): Field => [`Messages[${i}][${name}]`, value]),
  ),
]

export interface WhatsAppTemplate {
  readonly from: string
  readonly to: string
  readonly templateName: string
  readonly languageCode: string
  /** Body parameters in the template's order. */
  readonly parameters: ReadonlyArray<string>
  readonly customData?: string | undefined
  readonly statusCallback?: string | undefined
}

export const whatsAppBody = (message: WhatsAppTemplate) => ({
  custom_data: message.customData,
  status_callback: message.statusCallback,
  whatsapp: {
    messages: [
      {
        custom_data: message.customData,
        from: message.from,
        to: message.to,
        content: {
          recipient_type: "individual",
          type: "template",
          template: {
            name: message.templateName,
            language: { code: message.languageCode, policy: "deterministic" },
            components: [
              {
                type: "body",
                parameters: message.parameters.map((text) => ({ type: "text", text })),
              },
            ],
          },
        },
      },
    ],
  },
})

export interface MaskAllocation {
  readonly connectionId: string
  readonly partyA: string
  readonly partyB: string
  readonly usage: "oneway" | "twoway"
  readonly durationSeconds: number
}

export const greenVnBody = (mask: MaskAllocation) => ({
  connection_id: mask.connectionId,
  aparty_numbers: [mask.partyA],
  bparty_numbers: [mask.partyB],
  usage: mask.usage,
  strictness: "false",
  deallocation_policy: { duration: `${mask.durationSeconds}s` },
})
