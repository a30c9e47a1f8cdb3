// `npm run voices [folder]`: every prompt of the voice flows, voice ordering, the line test and the scripted
// (scheduled and campaign) calls of every purpose, in Hindi and in English, spoken by the built-in engine (eSpeak NG) at 8 kHz as the phone line carries it, written as WAV files
// into a folder (./voices-out unless named) with an index of what each one says, so a person can listen.
import { mkdirSync, writeFileSync } from "node:fs"
import path from "node:path"
import { Context, Effect, Layer } from "effect"
import type { PromptKey } from "../src/actors/callFlow.js"
import type { OrderLine } from "../src/actors/orderCallFlow.js"
import { orderLineText } from "../src/actors/orderPrompts.js"
import { digitReadback, type PromptDetails, promptText } from "../src/actors/prompts.js"
import { callMessageFor, ratingReprompt } from "../src/actors/scriptedCallFlow.js"
import { type CallPurpose, callPurposes } from "../src/domain/CallPurpose.js"
import type { Language } from "../src/domain/VoiceCall.js"
import { defaultSpeechThreads } from "../src/stream/speech/EspeakPool.js"
import { TextToSpeech, textToSpeechEspeak } from "../src/stream/speech/TextToSpeech.js"
import { wavFile } from "../src/stream/wav.js"

const folder = path.resolve(process.argv[2] ?? "voices-out")
const rate = 8000

const details: PromptDetails = {
  recipientName: "Ramesh",
  orderId: 40712,
  orderAmount: 450,
  itemCount: 3,
  vendorName: "Sharma Sweets",
  vendorAddress: "MG Road, Indiranagar",
}

// Records over every key and tag, so a prompt added to the flows and forgotten here fails the typecheck.
const flowPrompts: Record<PromptKey, true> = {
  vendor_offer: true,
  prep_time_question: true,
  reason_question: true,
  rider_offer: true,
  pickup_question: true,
  invalid_input: true,
  thanks_accepted: true,
  thanks_prep_time: true,
  thanks_rejected: true,
  thanks_pickup: true,
  goodbye_no_input: true,
}

const items = [
  { name: "Paneer Tikka", quantity: 2, price: 180 },
  { name: "Butter Naan", quantity: 4, price: 22.5 },
]
const orderLines: Record<OrderLine["_tag"], OrderLine> = {
  ReadBack: { _tag: "ReadBack", items, total: 450 },
  Menu: { _tag: "Menu" },
  AskQuantity: { _tag: "AskQuantity", item: { name: "Butter Naan", quantity: 4, price: 22.5 }, position: 2 },
  Invalid: { _tag: "Invalid" },
  NoInput: { _tag: "NoInput" },
  NeedsAnItem: { _tag: "NeedsAnItem" },
  Placed: { _tag: "Placed", total: 450 },
  Cancelled: { _tag: "Cancelled" },
  NotOpen: { _tag: "NotOpen" },
  Refused: { _tag: "Refused", why: "the order is already placed" },
  Goodbye: { _tag: "Goodbye" },
}

/** A scheduled call's context for each purpose; free text (an offer, a message) in the language it is said in. */
const scriptContexts = (language: Language): Record<CallPurpose, Record<string, string>> => {
  const offer = language === "hi" ? "मुफ़्त डिलीवरी" : "free delivery"
  return {
    order_confirmation: { orderId: "ORDER-40712", itemCount: "3", total: "450" },
    delivery_update: { orderId: "ORDER-40712", deliveryTime: "18:30" },
    payment_reminder: { amount: "450", orderId: "ORDER-40712", dueDate: "2024-01-21" },
    promotional_offer: { offer, code: "FEST50" },
    feedback_request: { orderId: "ORDER-40712" },
    support_callback: { ticketId: "TKT-5821" },
    otp_verification: { otp: "4821" },
    abandoned_cart: { itemCount: "3", total: "450", offer },
    custom: {
      message:
        language === "hi"
          ? "आपका रिफ़ंड आज आपके खाते में पहुँच जाएगा।"
          : "Your refund will reach your account today.",
    },
  }
}

const scriptedPrompts = (language: Language) => {
  const contexts = scriptContexts(language)
  return callPurposes.map((purpose) => {
    const call = callMessageFor(purpose, language, contexts[purpose], null)
    return { name: `scripted-${purpose}`, text: `${call.message} ${call.closing}` }
  })
}

const promptsOf = (language: Language): ReadonlyArray<{ readonly name: string; readonly text: string }> => [
  ...Object.keys(flowPrompts).map((key) => ({
    name: `flow-${key}`,
    text: promptText(key as PromptKey, language, details, 25),
  })),
  ...Object.entries(orderLines).map(([tag, line]) => ({
    name: `ordering-${tag}`,
    text: orderLineText(line, language),
  })),
  { name: "line_test-readback-5", text: digitReadback("5", language) },
  ...scriptedPrompts(language),
  { name: "scripted-rating_reprompt", text: ratingReprompt[language] },
]

const program = Effect.gen(function* () {
  const tts = yield* TextToSpeech
  const index: Array<string> = []
  for (const language of ["hi", "en"] as const) {
    mkdirSync(path.join(folder, language), { recursive: true })
    for (const { name, text } of promptsOf(language)) {
      const pcm = yield* tts.synthesize(text, language, rate)
      const file = path.join(language, `${name}.wav`)
      writeFileSync(path.join(folder, file), wavFile(pcm, rate))
      index.push(`${file}\t${(pcm.length / 2 / rate).toFixed(1)} s\t${text}`)
    }
  }
  writeFileSync(path.join(folder, "index.tsv"), `${index.join("\n")}\n`)
  yield* Effect.log(
    `Wrote ${index.length} prompts at ${rate} Hz into ${folder} (index.tsv says what each one says)`,
  )
})

await Effect.runPromise(
  Effect.scoped(
    Effect.flatMap(
      Layer.build(
        textToSpeechEspeak({ threads: defaultSpeechThreads(), staticPrompts: [], prerenderRates: [] }),
      ),
      (context) => Effect.provideService(program, TextToSpeech, Context.get(context, TextToSpeech)),
    ),
  ),
)
