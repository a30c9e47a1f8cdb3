// The README's picture of the console, from a real run: starts the gateway as `npm start` does (simulators, a
// fresh data folder, a free port), runs a campaign and a few vendor calls, signs in with an operator key in
// Debian's headless Chromium (/usr/bin/chromium) and saves docs/console.png: `npm run screenshot:console`.
import { spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { chromium } from "playwright-core"

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const output = path.join(root, "docs", "console.png")

const port = await new Promise((resolve) => {
  const probe = createServer()
  probe.listen(0, "127.0.0.1", () => {
    const { port } = probe.address()
    probe.close(() => resolve(port))
  })
})
const base = `http://127.0.0.1:${port}`
const dataDir = mkdtempSync(path.join(tmpdir(), "evg-screenshot-"))
const gateway = spawn(process.execPath, ["scripts/start.mjs"], {
  cwd: root,
  env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: "warn" },
  stdio: ["ignore", "ignore", "inherit"],
})
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

const api = async (token, method, route, body) => {
  const response = await fetch(`${base}/api/exotel${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`)
  return response.json()
}

try {
  for (let healthy = false; !healthy; await sleep(200)) {
    healthy = await fetch(`${base}/api/exotel/health`).then(
      (r) => r.ok,
      () => false,
    )
  }
  const admin = readFileSync(path.join(dataDir, "admin-token"), "utf8").trim()
  await api(admin, "PUT", "/config/timing", {
    timezone: "Asia/Kolkata",
    dndStart: "00:00",
    dndEnd: "00:00",
    businessHoursStart: "00:00",
    businessHoursEnd: "24:00",
    weekendCallsAllowed: true,
  })
  const { key } = await api(admin, "POST", "/api-keys", { name: "console screenshot", role: "operator" })
  const campaign = (name, contacts, series) =>
    api(key, "POST", "/campaigns", {
      name,
      purpose: "order_confirmation",
      dialerType: "agentless",
      contacts: Array.from({ length: contacts }, (_, i) => ({
        phone: `+91${series}${String(i).padStart(5, "0")}`,
      })),
      pacing: { concurrencyCap: 2 },
    })
  const lunch = await campaign("Lunch confirmations", 60, "98765")
  await campaign("Dinner confirmations", 30, "98766")

  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] })
  const page = await browser.newPage({ viewport: { width: 1100, height: 640 } })
  await page.goto(`${base}/console`)
  await page.getByLabel("API key or admin token").fill(key)
  await page.keyboard.press("Enter")
  await page.getByTestId("connection").filter({ hasText: "live" }).waitFor()
  for (const [i, vendorId] of [41, 57, 63].entries()) {
    await api(key, "POST", "/nerve/vendor/confirm", {
      orderId: 5100 + i,
      vendorId,
      vendorPhone: `91987654${String(3210 + i)}`,
      vendorName: "Sharma Dhaba",
      orderAmount: 450,
      itemCount: 3,
      language: "en",
    })
  }
  await sleep(15_000)
  await api(key, "POST", `/campaigns/${lunch.id}/pause`, {})
  mkdirSync(path.join(root, "artifacts", "console"), { recursive: true })
  await page.screenshot({ path: path.join(root, "artifacts", "console", "readme-live-calls.png") })
  await page.getByRole("button", { name: "Campaigns" }).click()
  await page.locator(`[data-campaign-id="${lunch.id}"][data-status="paused"]`).waitFor()
  // The budget's figures come with a second request, after the list.
  await page.getByTestId("budget-total").waitFor()
  await page.screenshot({ path: output })
  await browser.close()
  console.log(`saved ${output} (and the live calls in artifacts/console/readme-live-calls.png)`)
} finally {
  gateway.kill("SIGTERM")
  await new Promise((resolve) => gateway.once("exit", resolve))
  rmSync(dataDir, { recursive: true, force: true })
}
