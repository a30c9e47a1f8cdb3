// The operations console: sign in with an API key or the admin token, then live calls and campaigns.
import { render } from "preact"
import { useEffect, useState } from "preact/hooks"
import { call, messageOf, type Role, roleAllows } from "./api.js"
import { Campaigns } from "./Campaigns.js"
import { Charts } from "./Charts.js"
import { Configuration } from "./Configuration.js"
import { type Connection, type ConsoleEvent, followEvents } from "./events.js"
import { orderOfHash, useHash } from "./hashRoute.js"
import { LiveCalls } from "./LiveCalls.js"
import { Orders } from "./Orders.js"
import { Preview } from "./Preview.js"
import { Scheduled } from "./Scheduled.js"
import { Waiting } from "./Waiting.js"
import "./style.css"

const tokenKey = "evg-console-token"

interface Session {
  readonly token: string
  readonly role: Role
  readonly keyId: string
}

const SignIn = ({ onSession }: { onSession: (session: Session) => void }) => {
  const [token, setToken] = useState(sessionStorage.getItem(tokenKey) ?? "")
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const signIn = async (value: string) => {
    setBusy(true)
    const answer = await call(value, "GET", "/console/session").catch(() => null)
    setBusy(false)
    if (answer === null) return setError("The gateway cannot be reached")
    if (answer.status !== 200) {
      sessionStorage.removeItem(tokenKey)
      return setError(messageOf(answer))
    }
    const body = answer.body as { role: Role; keyId: string }
    sessionStorage.setItem(tokenKey, value)
    onSession({ token: value, role: body.role, keyId: body.keyId })
  }
  useEffect(() => {
    const kept = sessionStorage.getItem(tokenKey)
    if (kept !== null && kept !== "") void signIn(kept)
  }, [])
  return (
    <main class="signin">
      <h1>Voice gateway console</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          void signIn(token.trim())
        }}
      >
        <label for="token">API key or admin token</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
          required
        />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {error !== null && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </form>
      <p class="hint">Kept for this browser tab only (sessionStorage).</p>
    </main>
  )
}

type View =
  | "calls"
  | "waiting"
  | "campaigns"
  | "orders"
  | "scheduled"
  | "preview"
  | "charts"
  | "configuration"

const Console = ({ session, onSignOut }: { session: Session; onSignOut: () => void }) => {
  const [view, setView] = useState<View>("calls")
  const [events, setEvents] = useState<ReadonlyArray<ConsoleEvent>>([])
  const [connection, setConnection] = useState<Connection>("connecting")
  // A followed #orders/<id> link (from Waiting, or pasted) opens that order's calls.
  const hash = useHash()
  useEffect(() => {
    if (orderOfHash(hash) !== null) setView("orders")
  }, [hash])
  useEffect(() => {
    const abort = new AbortController()
    followEvents(
      session.token,
      abort.signal,
      (event) => setEvents((previous) => [...previous.slice(-999), event]),
      setConnection,
    )
    return () => abort.abort()
  }, [session.token])
  const tab = (name: View, label: string) => (
    <button
      type="button"
      aria-current={view === name ? "page" : undefined}
      class={view === name ? "tab selected" : "tab"}
      onClick={() => setView(name)}
    >
      {label}
    </button>
  )
  return (
    <>
      <header>
        <h1>Voice gateway</h1>
        <nav aria-label="Views">
          {tab("calls", "Live calls")}
          {tab("waiting", "Waiting")}
          {tab("campaigns", "Campaigns")}
          {tab("orders", "Orders")}
          {tab("scheduled", "Scheduled")}
          {roleAllows(session.role, "operator") && tab("preview", "Preview")}
          {tab("charts", "Charts")}
          {roleAllows(session.role, "admin") && tab("configuration", "Configuration")}
        </nav>
        <span class={`connection ${connection}`} data-testid="connection">
          {connection}
        </span>
        <span class="who">
          {session.keyId} · <strong data-testid="role">{session.role}</strong>
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main>
        <div id="view">
          {view === "calls" ? (
            <LiveCalls events={events} />
          ) : view === "charts" ? (
            <Charts token={session.token} />
          ) : view === "configuration" && roleAllows(session.role, "admin") ? (
            <Configuration token={session.token} />
          ) : view === "waiting" ? (
            <Waiting token={session.token} role={session.role} events={events} />
          ) : view === "campaigns" ? (
            <Campaigns token={session.token} role={session.role} events={events} />
          ) : view === "orders" ? (
            <Orders token={session.token} />
          ) : view === "scheduled" ? (
            <Scheduled token={session.token} />
          ) : (
            <Preview token={session.token} />
          )}
        </div>
      </main>
    </>
  )
}

const App = () => {
  const [session, setSession] = useState<Session | null>(null)
  return session === null ? (
    <SignIn onSession={setSession} />
  ) : (
    <Console
      session={session}
      onSignOut={() => {
        sessionStorage.removeItem(tokenKey)
        setSession(null)
      }}
    />
  )
}

const root = document.getElementById("app")
if (root !== null) render(<App />, root)
