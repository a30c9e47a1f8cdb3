// Numbers as a voice says them, in Hindi (Devanagari) and Indian English: amounts in rupees and paise, an order
// id digit by digit, a preparation time in minutes. Indian grouping in both languages (thousand, lakh, crore),
// so ₹1,50,000 is "one lakh fifty thousand rupees" and "एक लाख पचास हज़ार रुपये". Pure.
import type { Language } from "../domain/VoiceCall.js"

// Hindi has a word of its own for every number below a hundred.
// biome-ignore format: ten to a line, as they are counted
const hindiBelowHundred = [
  "शून्य", "एक", "दो", "तीन", "चार", "पाँच", "छह", "सात", "आठ", "नौ",
  "दस", "ग्यारह", "बारह", "तेरह", "चौदह", "पंद्रह", "सोलह", "सत्रह", "अठारह", "उन्नीस",
  "बीस", "इक्कीस", "बाईस", "तेईस", "चौबीस", "पच्चीस", "छब्बीस", "सत्ताईस", "अट्ठाईस", "उनतीस",
  "तीस", "इकतीस", "बत्तीस", "तैंतीस", "चौंतीस", "पैंतीस", "छत्तीस", "सैंतीस", "अड़तीस", "उनतालीस",
  "चालीस", "इकतालीस", "बयालीस", "तैंतालीस", "चवालीस", "पैंतालीस", "छियालीस", "सैंतालीस", "अड़तालीस", "उनचास",
  "पचास", "इक्यावन", "बावन", "तिरपन", "चौवन", "पचपन", "छप्पन", "सत्तावन", "अट्ठावन", "उनसठ",
  "साठ", "इकसठ", "बासठ", "तिरसठ", "चौंसठ", "पैंसठ", "छियासठ", "सड़सठ", "अड़सठ", "उनहत्तर",
  "सत्तर", "इकहत्तर", "बहत्तर", "तिहत्तर", "चौहत्तर", "पचहत्तर", "छिहत्तर", "सतहत्तर", "अठहत्तर", "उनासी",
  "अस्सी", "इक्यासी", "बयासी", "तिरासी", "चौरासी", "पचासी", "छियासी", "सत्तासी", "अट्ठासी", "नवासी",
  "नब्बे", "इक्यानबे", "बानबे", "तिरानबे", "चौरानबे", "पंचानबे", "छियानबे", "सत्तानबे", "अट्ठानबे", "निन्यानबे",
] as const

// biome-ignore format: ten to a line
const englishOnes = [
  "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
  "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
] as const

const englishTens = [
  "",
  "",
  "twenty",
  "thirty",
  "forty",
  "fifty",
  "sixty",
  "seventy",
  "eighty",
  "ninety",
] as const

const belowHundred = (n: number, language: Language): string => {
  if (language === "hi") return hindiBelowHundred[n] ?? ""
  if (n < 20) return englishOnes[n] ?? ""
  const ones = n % 10
  return `${englishTens[Math.floor(n / 10)]}${ones === 0 ? "" : ` ${englishOnes[ones]}`}`
}

const scales: Record<Language, ReadonlyArray<readonly [size: number, word: string]>> = {
  en: [
    [10_000_000, "crore"],
    [100_000, "lakh"],
    [1_000, "thousand"],
    [100, "hundred"],
  ],
  hi: [
    [10_000_000, "करोड़"],
    [100_000, "लाख"],
    [1_000, "हज़ार"],
    [100, "सौ"],
  ],
}

/** The largest number said in words; past it (a hundred thousand crore) the digits are read one by one. */
export const largestSpoken = 999_999_999_999

const wholeInWords = (n: number, language: Language): string => {
  if (n < 100) return belowHundred(n, language)
  const words: Array<string> = []
  let rest = n
  for (const [size, word] of scales[language]) {
    if (rest < size) continue
    words.push(`${wholeInWords(Math.floor(rest / size), language)} ${word}`)
    rest %= size
  }
  if (rest > 0)
    words.push(language === "en" ? `and ${belowHundred(rest, language)}` : belowHundred(rest, language))
  return words.join(" ")
}

/** A whole number of zero or more in words; anything else (a fraction, a negative) is rounded and made positive. */
export const numberInWords = (n: number, language: Language): string => {
  const whole = Math.abs(Math.round(n))
  if (!Number.isFinite(whole) || whole > largestSpoken) return digitsInWords(String(n), language)
  return wholeInWords(whole, language)
}

const digitWord = (digit: string, language: Language) => belowHundred(Number(digit), language)

/** Every digit on its own ("4 0 7" → "four zero seven", "चार शून्य सात"); other characters are left out. */
export const digitsInWords = (id: string | number, language: Language): string =>
  String(id)
    .split("")
    .filter((c) => c >= "0" && c <= "9")
    .map((d) => digitWord(d, language))
    .join(" ")

/** An amount in rupees, with paise when it has any: 450 → "four hundred and fifty rupees", "चार सौ पचास रुपये". */
export const rupeesInWords = (amount: number, language: Language): string => {
  const paiseTotal = Math.round(Math.abs(amount) * 100)
  const rupees = Math.floor(paiseTotal / 100)
  const paise = paiseTotal % 100
  const rupeeWord = language === "en" ? (rupees === 1 ? "rupee" : "rupees") : rupees === 1 ? "रुपया" : "रुपये"
  const paiseWord = language === "en" ? (paise === 1 ? "paisa" : "paise") : "पैसे"
  const inRupees = `${numberInWords(rupees, language)} ${rupeeWord}`
  if (paise === 0) return inRupees
  const inPaise = `${numberInWords(paise, language)} ${paiseWord}`
  if (rupees === 0) return inPaise
  return language === "en" ? `${inRupees} and ${inPaise}` : `${inRupees} ${inPaise}`
}

/** A duration in minutes: 25 → "twenty five minutes", "पच्चीस मिनट". */
export const minutesInWords = (minutes: number, language: Language): string => {
  const n = numberInWords(minutes, language)
  if (language === "hi") return `${n} मिनट`
  return `${n} ${Math.abs(Math.round(minutes)) === 1 ? "minute" : "minutes"}`
}

const amountPattern = /(?:₹|\bRs\.?|\bINR)\s?(\d{1,3}(?:,\d{2,3})+|\d+)(?:\.(\d{1,2}))?(?![\d,])/g

/**
 * A free text with its rupee amounts in words (₹450, Rs. 1,250.50, INR 99), as a call script says them: the
 * scripts of scheduled and campaign calls are written for reading, with the symbol and digits.
 */
export const amountsInWords = (text: string, language: Language): string =>
  text.replace(amountPattern, (_, whole: string, fraction: string | undefined) =>
    rupeesInWords(Number(`${whole.replaceAll(",", "")}.${(fraction ?? "0").padEnd(2, "0")}`), language),
  )

/**
 * Every word the functions above say for a number, a unit or a currency, in one language: the closed set a
 * voice can render once and join, as an IVR joins recorded digits ("four", "hundred", "and", "fifty",
 * "rupees").
 */
export const numberWords = (language: Language): ReadonlySet<string> => {
  const words = new Set<string>()
  for (let n = 0; n < 100; n++) for (const w of belowHundred(n, language).split(" ")) words.add(w)
  for (const [, word] of scales[language]) words.add(word)
  const units =
    language === "en"
      ? ["and", "rupee", "rupees", "paisa", "paise", "minute", "minutes"]
      : ["रुपया", "रुपये", "पैसे", "मिनट"]
  for (const w of units) words.add(w)
  return words
}
