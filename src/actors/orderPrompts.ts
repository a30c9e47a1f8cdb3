// What the voice-ordering call says, in Indian English or Hindi (Devanagari), with quantities and amounts in
// words. Pure.
import type { Language } from "../domain/VoiceCall.js"
import { numberInWords, rupeesInWords } from "../policy/spokenNumbers.js"
import type { OrderLine } from "./orderCallFlow.js"

export const orderLineText = (line: OrderLine, language: Language): string => {
  const en = language === "en"
  switch (line._tag) {
    case "ReadBack": {
      const items = line.items.map((i) => `${numberInWords(i.quantity, language)} ${i.name}`).join(", ")
      return en
        ? `Your order: ${items}. The total is ${rupeesInWords(line.total, "en")}.`
        : `आपका ऑर्डर: ${items}। कुल ${rupeesInWords(line.total, "hi")}।`
    }
    case "Menu":
      return en
        ? "Press one to confirm, two to change, or three to cancel. Press star to hear it again."
        : "पक्का करने के लिए एक, बदलने के लिए दो, रद्द करने के लिए तीन दबाएँ। दोबारा सुनने के लिए स्टार दबाएँ।"
    case "AskQuantity":
      return en
        ? `Item ${numberInWords(line.position, "en")}, ${line.item.name}, quantity ${numberInWords(line.item.quantity, "en")}. Type the new quantity and press hash. Press hash alone to keep it, or zero to remove it.`
        : `आइटम ${numberInWords(line.position, "hi")}, ${line.item.name}, मात्रा ${numberInWords(line.item.quantity, "hi")}। नई मात्रा टाइप करके हैश दबाएँ। वैसा ही रखने के लिए सिर्फ़ हैश, हटाने के लिए शून्य दबाएँ।`
    case "Invalid":
      return en ? "Sorry, that is not a valid option." : "माफ़ कीजिए, यह सही विकल्प नहीं है।"
    case "NoInput":
      return en ? "We did not hear a choice." : "हमें कोई विकल्प नहीं मिला।"
    case "NeedsAnItem":
      return en ? "An order needs at least one item." : "ऑर्डर में कम से कम एक आइटम होना चाहिए।"
    case "Placed":
      return en
        ? `Thank you, your order of ${rupeesInWords(line.total, "en")} is placed.`
        : `धन्यवाद, आपका ${rupeesInWords(line.total, "hi")} का ऑर्डर हो गया।`
    case "Cancelled":
      return en ? "Your order is cancelled. Goodbye." : "आपका ऑर्डर रद्द हो गया। नमस्ते।"
    case "NotOpen":
      return en
        ? "Sorry, there is no open order on this line. Goodbye."
        : "माफ़ कीजिए, इस लाइन पर कोई खुला ऑर्डर नहीं है। नमस्ते।"
    case "Refused":
      return en ? "Sorry, the order could not be changed. Goodbye." : "माफ़ कीजिए, ऑर्डर बदला नहीं जा सका। नमस्ते।"
    case "Goodbye":
      return en
        ? "We did not get an answer. Your order is unchanged. Goodbye."
        : "जवाब नहीं मिला। ऑर्डर वैसा ही है। नमस्ते।"
  }
}

const staticLines: ReadonlyArray<OrderLine> = [
  { _tag: "Menu" },
  { _tag: "Invalid" },
  { _tag: "NoInput" },
  { _tag: "NeedsAnItem" },
  { _tag: "Cancelled" },
  { _tag: "NotOpen" },
  { _tag: "Goodbye" },
]

/** The voice-ordering lines whose words never change, in both languages. */
export const staticOrderLines = (): ReadonlyArray<{ readonly text: string; readonly language: Language }> =>
  (["hi", "en"] as const).flatMap((language) =>
    staticLines.map((line) => ({ text: orderLineText(line, language), language })),
  )
