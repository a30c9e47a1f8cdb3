// What each prompt says, in Hindi (romanised, as a TTS engine reads it) or English. Pure: key and call
// details in, text out.
import type { Language } from "../domain/VoiceCall.js"
import type { PromptKey } from "./callFlow.js"

export interface PromptDetails {
  readonly recipientName: string | null
  readonly orderId: number | null
  readonly orderAmount: number | null
  readonly itemCount: number | null
  readonly vendorName: string | null
  readonly vendorAddress: string | null
}

const or = (value: string | number | null, fallback: string) => (value === null ? fallback : String(value))

export const promptText = (key: PromptKey, language: Language, d: PromptDetails): string => {
  const en = language === "en"
  switch (key) {
    case "vendor_offer":
      return en
        ? `Hello ${or(d.recipientName, "")}. New order ${or(d.orderId, "")}: ${or(d.itemCount, "some")} items, ${or(d.orderAmount, "")} rupees. Press 1 to accept, 2 to reject. Press star to hear this again.`
        : `Namaste ${or(d.recipientName, "")}. Naya order ${or(d.orderId, "")}: ${or(d.itemCount, "kuch")} items, ${or(d.orderAmount, "")} rupaye. Sweekar karne ke liye 1 dabayein, mana karne ke liye 2. Dobara sunne ke liye star.`
    case "prep_time_question":
      return en
        ? "How many minutes to prepare the order? Type the minutes, then hash."
        : "Order taiyaar hone mein kitne minute lagenge? Minute type karein, phir hash dabayein."
    case "reason_question":
      return en
        ? "Why? Press 1 item unavailable, 2 shop closed, 3 too busy, 4 other."
        : "Kyon? 1 saamaan uplabdh nahin, 2 dukaan band, 3 bahut vyast, 4 anya."
    case "rider_offer":
      return en
        ? `Hello ${or(d.recipientName, "")}. Pickup from ${or(d.vendorName, "the vendor")}, ${or(d.vendorAddress, "")}. Press 1 to accept, 2 to reject.`
        : `Namaste ${or(d.recipientName, "")}. ${or(d.vendorName, "vendor")}, ${or(d.vendorAddress, "")} se pickup. Sweekar ke liye 1, mana karne ke liye 2.`
    case "pickup_question":
      return en
        ? `Order ${or(d.orderId, "")} is ready at ${or(d.vendorName, "the vendor")}. Press 1 if you are on the way, 2 if delayed.`
        : `Order ${or(d.orderId, "")} ${or(d.vendorName, "vendor")} par taiyaar hai. Raaste mein hain to 1, der hai to 2.`
    case "invalid_input":
      return en ? "Sorry, that was not a valid choice." : "Maaf kijiye, yeh sahi vikalp nahin tha."
    case "thanks_accepted":
      return en ? "Thank you, the order is confirmed." : "Dhanyavaad, order pakka ho gaya."
    case "thanks_prep_time":
      return en ? "Thank you, prep time noted." : "Dhanyavaad, samay darj ho gaya."
    case "thanks_rejected":
      return en ? "Thank you, noted." : "Dhanyavaad, darj kar liya."
    case "thanks_pickup":
      return en ? "Thank you." : "Dhanyavaad."
    case "goodbye_no_input":
      return en ? "We did not get an answer. Goodbye." : "Humein jawaab nahin mila. Namaste."
  }
}

/** The line test's read-back of one key. */
export const digitReadback = (digit: string, language: Language) =>
  language === "en" ? `You pressed ${digit}` : `Aapne ${digit} dabaya`

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
