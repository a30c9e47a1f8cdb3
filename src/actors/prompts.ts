// What each prompt says, in Hindi (Devanagari, as a Hindi voice reads it) or Indian English, with every number in
// words: an amount in rupees, an order id digit by digit, a time in minutes, a key by its name. Pure: key and call
// details in, text out.
import type { Language } from "../domain/VoiceCall.js"
import { digitsInWords, minutesInWords, numberInWords, rupeesInWords } from "../policy/spokenNumbers.js"
import type { PromptKey } from "./callFlow.js"

export interface PromptDetails {
  readonly recipientName: string | null
  readonly orderId: number | null
  readonly orderAmount: number | null
  readonly itemCount: number | null
  readonly vendorName: string | null
  readonly vendorAddress: string | null
}

/** " Ramesh" after a greeting, or nothing: a missing name leaves no gap in the sentence. */
const named = (name: string | null) => (name === null || name.trim() === "" ? "" : ` ${name.trim()}`)

/** " number four zero seven" after "order", or nothing when the call carries no order id. */
const orderNumber = (d: PromptDetails, language: Language) =>
  d.orderId === null ? "" : ` ${language === "en" ? "number" : "नंबर"} ${digitsInWords(d.orderId, language)}`

const commaBefore = (d: PromptDetails) => (d.orderId === null ? "" : ",")

const itemsOf = (count: number | null, language: Language) => {
  if (language === "en")
    return count === null ? "some items" : `${numberInWords(count, "en")} ${count === 1 ? "item" : "items"}`
  return count === null ? "कुछ आइटम" : `${numberInWords(count, "hi")} आइटम`
}

const worth = (amount: number | null, language: Language) =>
  amount === null
    ? ""
    : language === "en"
      ? `, worth ${rupeesInWords(amount, "en")}`
      : `, ${rupeesInWords(amount, "hi")} का`

const vendorOf = (d: PromptDetails, language: Language) => {
  const name = d.vendorName?.trim() || (language === "en" ? "the vendor" : "दुकान")
  const address = d.vendorAddress?.trim()
  return address ? `${name}, ${address}` : name
}

/**
 * The words of a prompt. `prepTimeMinutes` is the time the vendor typed, read back in the thanks that follows
 * it; the other prompts ignore it.
 */
export const promptText = (
  key: PromptKey,
  language: Language,
  d: PromptDetails,
  prepTimeMinutes: number | null = null,
): string => {
  const en = language === "en"
  switch (key) {
    case "vendor_offer":
      return en
        ? `Hello${named(d.recipientName)}. You have a new order${commaBefore(d)}${orderNumber(d, "en")}: ${itemsOf(d.itemCount, "en")}${worth(d.orderAmount, "en")}. Press one to accept, or two to reject. Press star to hear this again.`
        : `नमस्ते${named(d.recipientName)}। आपके लिए नया ऑर्डर है${commaBefore(d)}${orderNumber(d, "hi")}: ${itemsOf(d.itemCount, "hi")}${worth(d.orderAmount, "hi")}। स्वीकार करने के लिए एक दबाएँ, मना करने के लिए दो। दोबारा सुनने के लिए स्टार दबाएँ।`
    case "prep_time_question":
      return en
        ? "How many minutes will the order take to prepare? Type the minutes, then press hash."
        : "ऑर्डर तैयार होने में कितने मिनट लगेंगे? मिनट टाइप करें, फिर हैश दबाएँ।"
    case "reason_question":
      return en
        ? "Please tell us why. Press one if an item is not available, two if the shop is closed, three if you are too busy, or four for any other reason."
        : "कृपया कारण बताइए। सामान उपलब्ध नहीं है तो एक, दुकान बंद है तो दो, बहुत व्यस्त हैं तो तीन, और कोई कारण हो तो चार दबाएँ।"
    case "rider_offer":
      return en
        ? `Hello${named(d.recipientName)}. There is a pickup for you from ${vendorOf(d, "en")}. Press one to accept, or two to reject.`
        : `नमस्ते${named(d.recipientName)}। ${vendorOf(d, "hi")} से आपके लिए पिकअप है। स्वीकार करने के लिए एक, मना करने के लिए दो दबाएँ।`
    case "pickup_question":
      return en
        ? `Order${orderNumber(d, "en")} is ready at ${vendorOf(d, "en")}. Press one if you are on the way, or two if you are delayed.`
        : `ऑर्डर${orderNumber(d, "hi")} ${vendorOf(d, "hi")} पर तैयार है। रास्ते में हैं तो एक, देर हो रही है तो दो दबाएँ।`
    case "invalid_input":
      return en ? "Sorry, that is not a valid option." : "माफ़ कीजिए, यह सही विकल्प नहीं है।"
    case "thanks_accepted":
      return en ? "Thank you, the order is confirmed." : "धन्यवाद, ऑर्डर पक्का हो गया।"
    case "thanks_prep_time":
      if (prepTimeMinutes === null)
        return en ? "Thank you, the preparation time is noted." : "धन्यवाद, समय दर्ज हो गया।"
      return en
        ? `Thank you, we have noted ${minutesInWords(prepTimeMinutes, "en")}.`
        : `धन्यवाद, ${minutesInWords(prepTimeMinutes, "hi")} दर्ज हो गए।`
    case "thanks_rejected":
      return en ? "Thank you, we have noted it." : "धन्यवाद, दर्ज कर लिया।"
    case "thanks_pickup":
      return en ? "Thank you." : "धन्यवाद।"
    case "goodbye_no_input":
      return en ? "We did not get an answer. Goodbye." : "हमें जवाब नहीं मिला। नमस्ते।"
  }
}

/** The line test's read-back of one key: the key as a digit, which the tones engine plays as its DTMF pair. */
export const digitReadback = (digit: string, language: Language) =>
  language === "en" ? `You pressed ${digit}` : `आपने ${digit} दबाया`

/** The prompts whose words never change from call to call. */
export const staticPromptKeys = [
  "prep_time_question",
  "reason_question",
  "invalid_input",
  "thanks_accepted",
  "thanks_prep_time",
  "thanks_rejected",
  "thanks_pickup",
  "goodbye_no_input",
] as const satisfies ReadonlyArray<PromptKey>

const noDetails: PromptDetails = {
  recipientName: null,
  orderId: null,
  orderAmount: null,
  itemCount: null,
  vendorName: null,
  vendorAddress: null,
}

const languages: ReadonlyArray<Language> = ["hi", "en"]

/** Every static prompt of the voice flows and the line test, in both languages: worth rendering ahead. */
export const staticPrompts = (): ReadonlyArray<{ readonly text: string; readonly language: Language }> =>
  languages.flatMap((language) => [
    ...staticPromptKeys.map((key) => ({ text: promptText(key, language, noDetails), language })),
    ..."0123456789*#".split("").map((digit) => ({ text: digitReadback(digit, language), language })),
  ])
