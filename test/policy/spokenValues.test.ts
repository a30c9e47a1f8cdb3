// A script's placeholder values as a voice says them, in Hindi and in Indian English.
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { digitsInWords, numberInWords, rupeesInWords } from "../../src/policy/spokenNumbers.js"
import { spelledInWords, spokenValue } from "../../src/policy/spokenValues.js"

describe("spokenValue", () => {
  it("says an amount in rupees, in each language", () => {
    expect(spokenValue("total", "450", "hi")).toBe("चार सौ पचास रुपये")
    expect(spokenValue("total", "450", "en")).toBe("four hundred and fifty rupees")
    expect(spokenValue("price", "1,250.50", "en", true)).toBe(
      "one thousand two hundred and fifty rupees and fifty paise",
    )
  })

  it("reads an id and a code character by character, leaving out the id's label", () => {
    expect(spokenValue("orderId", "ORDER-407", "hi")).toBe("चार शून्य सात")
    expect(spokenValue("orderId", "ORDER-407", "en")).toBe("four zero seven")
    expect(spokenValue("ticketId", "A-17", "en")).toBe("A one seven")
    expect(spokenValue("code", "FEST50", "hi")).toBe("एफ़ ई एस टी पाँच शून्य")
    expect(spokenValue("otp", "4321", "hi")).toBe("चार तीन दो एक")
  })

  it("says a count in words, a date by its day and month, a clock time as people say it", () => {
    expect(spokenValue("itemCount", "3", "hi")).toBe("तीन")
    expect(spokenValue("itemCount", "3", "en")).toBe("three")
    expect(spokenValue("deliveryDate", "2024-01-21", "hi")).toBe("इक्कीस जनवरी")
    expect(spokenValue("deliveryDate", "2024-01-21", "en")).toBe("twenty first January")
    expect(spokenValue("dueDate", "2024-03-30", "en")).toBe("thirtieth March")
    expect(spokenValue("deliveryTime", "18:30", "hi")).toBe("शाम साढ़े छह बजे")
    expect(spokenValue("deliveryTime", "09:45", "hi")).toBe("सुबह पौने दस बजे")
    expect(spokenValue("deliveryTime", "14:30", "hi")).toBe("दोपहर ढाई बजे")
    expect(spokenValue("deliveryTime", "18:30", "en")).toBe("six thirty in the evening")
    expect(spokenValue("deliveryTime", "07:05", "en")).toBe("seven oh five in the morning")
  })

  it("leaves a name or an offer as written", () => {
    expect(spokenValue("name", "Asha", "hi")).toBe("Asha")
    expect(spokenValue("offer", "20% off", "hi")).toBe("20% off")
  })

  it("says any whole amount as the rupees it is, and any count as its number", () =>
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.constantFrom("hi" as const, "en" as const),
        (n, l) => {
          expect(spokenValue("amount", String(n), l)).toBe(rupeesInWords(n, l))
          expect(spokenValue("itemCount", String(n), l)).toBe(numberInWords(n, l))
        },
      ),
    ))

  it("reads every digit of an id, and only its characters", () =>
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{1,12}$/),
        fc.constantFrom("hi" as const, "en" as const),
        (id, l) => {
          expect(spelledInWords(`ORD-${id}`, l)).toBe(digitsInWords(id, l))
        },
      ),
    ))
})
