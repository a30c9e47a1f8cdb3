// The gateway's REST API as the console calls it: the bearer token on every request, JSON both ways.
export type Role = "viewer" | "operator" | "admin"

const order: ReadonlyArray<Role> = ["viewer", "operator", "admin"]

/** Each role may do all that the roles below it may (src/domain/Role.ts). */
export const roleAllows = (role: Role, required: Role) => order.indexOf(role) >= order.indexOf(required)

export const apiBase = "/api/exotel"

export interface Answer {
  readonly status: number
  readonly body: unknown
}

export const call = async (token: string, method: string, path: string, body?: unknown): Promise<Answer> => {
  const response = await fetch(`${apiBase}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  let parsed: unknown = null
  try {
    parsed = text === "" ? null : JSON.parse(text)
  } catch {
    parsed = text
  }
  return { status: response.status, body: parsed }
}

/** The message of an API error answer, or a line naming its status. */
export const messageOf = (answer: Answer) => {
  const body = answer.body
  if (typeof body === "object" && body !== null && "message" in body && typeof body.message === "string") {
    return body.message
  }
  return `The gateway answered ${answer.status}`
}

/** Sends a file as the request's whole body (a recorded prompt's WAV), answered as `call` answers. */
export const upload = async (
  token: string,
  path: string,
  file: Blob,
  contentType: string,
): Promise<Answer> => {
  const response = await fetch(`${apiBase}${path}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": contentType },
    body: file,
  })
  const text = await response.text()
  let parsed: unknown = null
  try {
    parsed = text === "" ? null : JSON.parse(text)
  } catch {
    parsed = text
  }
  return { status: response.status, body: parsed }
}
