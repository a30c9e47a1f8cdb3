// What the voice-ordering call says, in English or Hindi (romanised, as a TTS engine reads it). Pure.
import type { Language } from "../domain/VoiceCall.js"
import type { OrderLine } from "./orderCallFlow.js"

const rupees = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2))

export const orderLineText = (line: OrderLine, language: Language): string => {
  const en = language === "en"
  switch (line._tag) {
    case "ReadBack": {
      const items = line.items.map((i) => `${i.quantity} ${i.name}`).join(", ")
      return en
        ? `Your order: ${items}. Total ${rupees(line.total)} rupees.`
        : `Aapka order: ${items}. Kul ${rupees(line.total)} rupaye.`
    }
    case "Menu":
      return en
        ? "Press 1 to confirm, 2 to change, 3 to cancel. Press star to hear it again."
        : "Pakka karne ke liye 1, badalne ke liye 2, radd karne ke liye 3 dabayein. Dobara sunne ke liye star."
    case "AskQuantity":
      return en
        ? `Item ${line.position}, ${line.item.name}, quantity ${line.item.quantity}. Type the new quantity and hash, hash alone to keep it, 0 to remove it.`
        : `Item ${line.position}, ${line.item.name}, matra ${line.item.quantity}. Nayi matra aur hash dabayein, rakhne ke liye sirf hash, hatane ke liye 0.`
    case "Invalid":
      return en ? "Sorry, that was not a valid choice." : "Maaf kijiye, yeh sahi vikalp nahin tha."
    case "NoInput":
      return en ? "We did not hear a choice." : "Humein koi vikalp nahin mila."
    case "NeedsAnItem":
      return en ? "An order needs at least one item." : "Order mein kam se kam ek item hona chahiye."
    case "Placed":
      return en
        ? `Thank you, your order of ${rupees(line.total)} rupees is placed.`
        : `Dhanyavaad, aapka ${rupees(line.total)} rupaye ka order ho gaya.`
    case "Cancelled":
      return en ? "Your order is cancelled. Goodbye." : "Aapka order radd ho gaya. Namaste."
    case "NotOpen":
      return en
        ? "Sorry, there is no open order on this line. Goodbye."
        : "Maaf kijiye, is line par koi khula order nahin hai. Namaste."
    case "Refused":
      return en
        ? "Sorry, the order could not be changed. Goodbye."
        : "Maaf kijiye, order badla nahin ja saka. Namaste."
    case "Goodbye":
      return en
        ? "We did not get an answer. Your order is unchanged. Goodbye."
        : "Jawaab nahin mila. Order waisa hi hai. Namaste."
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
