// A call script's placeholder values as a voice says them, in Hindi or Indian English: an amount in rupees, an id
// or a code character by character, a count in words, a date as its day and month, a clock time as people say it
// ("शाम साढ़े छह बजे", "six thirty in the evening"). Anything else (a name, an offer) is said as written. Pure.
import type { Language } from "../domain/VoiceCall.js"
import { digitsInWords, numberInWords, rupeesInWords } from "./spokenNumbers.js"

/** Placeholders that hold an amount in rupees even when the script writes no ₹ before them. */
const amountNames = new Set(["amount", "total", "orderAmount", "estimatedAmount"])
/** Placeholders read a character at a time, as a callee writes them down or types them. */
const spelledNames = new Set(["otp", "code"])
const isSpelled = (name: string) => spelledNames.has(name) || /Id$/.test(name)

// How a Hindi speaker says the Latin letters of an id or a code.
// biome-ignore format: thirteen to a line, A to M and N to Z
const hindiLetters = [
  "ए", "बी", "सी", "डी", "ई", "एफ़", "जी", "एच", "आई", "जे", "के", "एल", "एम",
  "एन", "ओ", "पी", "क्यू", "आर", "एस", "टी", "यू", "वी", "डब्ल्यू", "एक्स", "वाई", "ज़ेड",
] as const

const letterIn = (letter: string, language: Language) =>
  language === "en" ? letter : (hindiLetters[letter.charCodeAt(0) - 65] ?? letter)

/**
 * An id or a code, a character at a time: digits in words, letters by name, separators left out. A leading label
 * of two letters or more before a separator ("ORDER-", "TKT_") is not read: the script already says what the id
 * is ("your order …").
 */
export const spelledInWords = (value: string, language: Language): string =>
  value
    .trim()
    .replace(/^[A-Za-z]{2,}[-_#/:](?=.*\d)/, "")
    .toUpperCase()
    .split("")
    .flatMap((c) =>
      c >= "0" && c <= "9"
        ? [digitsInWords(c, language)]
        : c >= "A" && c <= "Z"
          ? [letterIn(c, language)]
          : [],
    )
    .join(" ")

const months: Record<Language, ReadonlyArray<string>> = {
  en: [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
  ],
  hi: ["जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर"],
}

// biome-ignore format: ten to a line
const englishOrdinals = [
  "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
  "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
] as const

const englishOrdinal = (n: number): string => {
  if (n < 20) return englishOrdinals[n] ?? ""
  const ones = n % 10
  const tens = n - ones
  if (ones === 0) return numberInWords(tens, "en").replace(/y$/, "ieth")
  return `${numberInWords(tens, "en")} ${englishOrdinals[ones]}`
}

/** 2024-01-21 → "twenty first January", "इक्कीस जनवरी": the year is left out, a call's dates being near. */
const dateInWords = (month: number, day: number, language: Language) =>
  language === "en"
    ? `${englishOrdinal(day)} ${months.en[month - 1]}`
    : `${numberInWords(day, "hi")} ${months.hi[month - 1]}`

const englishPartOfDay = (hour: number) =>
  hour >= 5 && hour < 12
    ? "in the morning"
    : hour >= 12 && hour < 17
      ? "in the afternoon"
      : hour >= 17 && hour < 21
        ? "in the evening"
        : "at night"

const hindiPartOfDay = (hour: number) =>
  hour >= 4 && hour < 12 ? "सुबह" : hour >= 12 && hour < 16 ? "दोपहर" : hour >= 16 && hour < 20 ? "शाम" : "रात"

const twelveHour = (hour: number) => hour % 12 || 12

const hindiClock = (hour: number, minute: number) => {
  const h = twelveHour(hour)
  const next = twelveHour(hour + 1)
  // Hindi says the quarters and the half by their own words; half past one and two have words of their own.
  if (minute === 0) return `${numberInWords(h, "hi")} बजे`
  if (minute === 15) return `सवा ${numberInWords(h, "hi")} बजे`
  if (minute === 30) return h === 1 ? "डेढ़ बजे" : h === 2 ? "ढाई बजे" : `साढ़े ${numberInWords(h, "hi")} बजे`
  if (minute === 45) return `पौने ${numberInWords(next, "hi")} बजे`
  return `${numberInWords(h, "hi")} बजकर ${numberInWords(minute, "hi")} मिनट`
}

/** 18:30 → "six thirty in the evening", "शाम साढ़े छह बजे". */
const timeInWords = (hour: number, minute: number, language: Language) => {
  if (language === "hi") return `${hindiPartOfDay(hour)} ${hindiClock(hour, minute)}`
  const h = numberInWords(twelveHour(hour), "en")
  const m =
    minute === 0
      ? " o'clock"
      : minute < 10
        ? ` oh ${numberInWords(minute, "en")}`
        : ` ${numberInWords(minute, "en")}`
  return `${h}${m} ${englishPartOfDay(hour)}`
}

const isAmount = (value: string) => /^\d+(\.\d{1,2})?$/.test(value)

/**
 * One placeholder's value as it is said. `afterRupee`: the script writes ₹ before the placeholder, so the value is
 * an amount (and the ₹ is said as the word for rupees, after it).
 */
export const spokenValue = (name: string, value: string, language: Language, afterRupee = false): string => {
  const v = value.trim()
  if ((afterRupee || amountNames.has(name)) && isAmount(v.replaceAll(",", "")))
    return rupeesInWords(Number(v.replaceAll(",", "")), language)
  if (isSpelled(name)) return spelledInWords(v, language)
  if (/^\d+$/.test(v)) return numberInWords(Number(v), language)
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v)
  if (date !== null) {
    const month = Number(date[2])
    const day = Number(date[3])
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31) return dateInWords(month, day, language)
  }
  const time = /^(\d{1,2}):(\d{2})$/.exec(v)
  if (time !== null) {
    const hour = Number(time[1])
    const minute = Number(time[2])
    if (hour <= 23 && minute <= 59) return timeInWords(hour, minute, language)
  }
  return afterRupee ? `₹${v}` : v
}
