// The words of every prompt an admin may record, per language: a recording replaces exactly these words.
import { RecordedPromptKey } from "../domain/RecordedPrompt.js"
import type { Language } from "../domain/VoiceCall.js"
import type { PromptKey } from "./callFlow.js"
import type { OrderLine } from "./orderCallFlow.js"
import { orderLineText } from "./orderPrompts.js"
import { type PromptDetails, promptText } from "./prompts.js"

const noDetails: PromptDetails = {
  recipientName: null,
  orderId: null,
  orderAmount: null,
  itemCount: null,
  vendorName: null,
  vendorAddress: null,
}

const flow = (key: PromptKey) => (language: Language) => promptText(key, language, noDetails)
const ordering = (line: OrderLine) => (language: Language) => orderLineText(line, language)

const words: Record<RecordedPromptKey, (language: Language) => string> = {
  prep_time_question: flow("prep_time_question"),
  reason_question: flow("reason_question"),
  invalid_input: flow("invalid_input"),
  thanks_accepted: flow("thanks_accepted"),
  thanks_rejected: flow("thanks_rejected"),
  thanks_pickup: flow("thanks_pickup"),
  goodbye_no_input: flow("goodbye_no_input"),
  ordering_menu: ordering({ _tag: "Menu" }),
  ordering_no_input: ordering({ _tag: "NoInput" }),
  ordering_needs_an_item: ordering({ _tag: "NeedsAnItem" }),
  ordering_cancelled: ordering({ _tag: "Cancelled" }),
  ordering_not_open: ordering({ _tag: "NotOpen" }),
  ordering_goodbye: ordering({ _tag: "Goodbye" }),
}

export const recordablePromptText = (key: RecordedPromptKey, language: Language): string =>
  words[key](language)

/** Every recordable prompt in both languages, with its words. */
export const recordablePrompts = (): ReadonlyArray<{
  readonly key: RecordedPromptKey
  readonly language: Language
  readonly text: string
}> =>
  (["hi", "en"] as const).flatMap((language) =>
    RecordedPromptKey.literals.map((key) => ({ key, language, text: words[key](language) })),
  )
