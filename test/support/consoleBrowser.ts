// The console's browser tests' common ground: Debian's Chromium (never a downloaded one), a page at phone width
// that collects every console error, signing in from the keyboard, and screenshots under artifacts/console/.
import { mkdirSync } from "node:fs"
import path from "node:path"
import { Effect } from "effect"
import { type Browser, chromium, type Page } from "playwright-core"

const artifacts = path.join(import.meta.dirname, "..", "..", "artifacts", "console")

export const browser = Effect.acquireRelease(
  Effect.promise(() => chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] })),
  (b: Browser) => Effect.promise(() => b.close()),
)

/** A page at phone width (390 × 844) whose console errors and uncaught exceptions are collected. */
export const phonePage = (b: Browser) =>
  Effect.promise(async () => {
    const context = await b.newContext({ viewport: { width: 390, height: 844 } })
    const page = await context.newPage()
    const errors: Array<string> = []
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text())
    })
    page.on("pageerror", (error) => errors.push(String(error)))
    return { page, errors }
  })

/** Signs in from the keyboard alone: the token field has focus, Enter submits. */
export const signIn = (page: Page, base: string, token: string) =>
  Effect.promise(async () => {
    await page.goto(`${base}/console`)
    await page.getByLabel("API key or admin token").focus()
    await page.keyboard.type(token)
    await page.keyboard.press("Enter")
    await page.getByTestId("connection").filter({ hasText: "live" }).waitFor({ timeout: 10_000 })
  })

export const shot = (page: Page, name: string) =>
  Effect.promise(() => {
    mkdirSync(artifacts, { recursive: true })
    return page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true })
  })
