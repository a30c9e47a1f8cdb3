// fast-check arbitraries of hostile HTTP requests, built from the OpenAPI document the gateway serves: for
// each operation, its path and query parameters, its body and its security, each either plausible (drawn from
// the schema, its enums and examples) or wrong in one of the ways clients and attackers are: wrong types,
// missing and extra fields, huge strings, deep nesting, NUL and hostile unicode, unknown enum values, broken
// percent-encoding, wrong content types, garbage Authorization headers.
import * as fc from "fast-check"

export interface FuzzRequest {
  readonly method: string
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
  /** The operation it was made from, for the report. */
  readonly operation: string
}

export interface Tokens {
  readonly admin: string
  readonly operator: string
  readonly viewer: string
}

type Node = Readonly<Record<string, unknown>>

const isNode = (u: unknown): u is Node => typeof u === "object" && u !== null && !Array.isArray(u)
const nodeAt = (node: Node, key: string): Node => {
  const value = node[key]
  return isNode(value) ? value : {}
}
const listAt = (node: Node, key: string): ReadonlyArray<unknown> => {
  const value = node[key]
  return Array.isArray(value) ? value : []
}
const textAt = (node: Node, key: string): string | undefined => {
  const value = node[key]
  return typeof value === "string" ? value : undefined
}
const numberAt = (node: Node, key: string): number | undefined => {
  const value = node[key]
  return typeof value === "number" ? value : undefined
}

const hostileStrings = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "%00",
  "\ud800",
  "\udfff",
  "\u202eevil",
  "\ufeff",
  "\u200b\u200d",
  "𝕏𝕐ℤ",
  "👩‍👩‍👧‍👦",
  "नमस्ते",
  "../../etc/passwd",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "$" + "{jndi:ldap://x}",
  "null",
  "-1",
  "1e309",
  "99999999999999999999",
  "NaN",
  "2026-13-45T25:61:61Z",
  "+919876543210\u0000",
]

const plausibleStrings = [
  "+919876543210",
  "+919123400001",
  "09876543210",
  "08040000000",
  "1207160000000000001",
  "1201159100000000001",
  "order_confirmation",
  "promotional_offer",
  "en",
  "hi",
  "24h",
  "7d",
  "2027-01-15T10:00:00.000Z",
  "10:00",
  "Asia/Kolkata",
  "Hello",
  "key_abc",
  "CA1234567890",
  "https://example.invalid/hook",
]

/** Percent-encoded as a browser would; a lone surrogate goes as U+FFFD, as it would on any wire. */
/** A value as text: strings as they are, anything else as JSON (String() throws on `{"toString": 1}`). */
const asText = (value: unknown) => (typeof value === "string" ? value : (JSON.stringify(value) ?? ""))

const urlEncoded = (s: string) => encodeURIComponent(Buffer.from(s, "utf8").toString("utf8"))

const hugeString = fc.integer({ min: 1_000, max: 1_200_000 }).map((n) => "x".repeat(n))

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: hugeString },
)

/** Arrays or objects nested `depth` deep, up to far past any sane limit. */
export const deepNesting = fc
  .tuple(fc.integer({ min: 10, max: 120_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
  )

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  hostileString,
  fc.constantFrom(null, true, -1, 0, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2),
)

/** A value for `schema`: usually plausible, sometimes wrong. */
const valueFor = (schema: Node, components: Node, depth: number): fc.Arbitrary<unknown> => {
  const ref = textAt(schema, "$ref")
  if (ref !== undefined) {
    const target = nodeAt(components, ref.replace("#/components/schemas/", ""))
    return valueFor({ ...target, ...schema, $ref: undefined }, components, depth)
  }
  if (depth > 6) return anyJson
  const wrong = { weight: 1, arbitrary: anyJson }
  const enumValues = listAt(schema, "enum")
  if (enumValues.length > 0) {
    return fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...enumValues) },
      { weight: 1, arbitrary: fc.constantFrom("unknown_value", "ORDER_CONFIRMATION", "") },
      wrong,
    )
  }
  const alternatives = [...listAt(schema, "anyOf"), ...listAt(schema, "oneOf")].filter(isNode)
  if (alternatives.length > 0) {
    return fc.oneof(
      ...alternatives.map((alternative) => valueFor(alternative, components, depth + 1)),
      anyJson,
    )
  }
  const examples = listAt(schema, "examples")
  switch (textAt(schema, "type")) {
    case "object": {
      const properties = nodeAt(schema, "properties")
      const required = new Set(listAt(schema, "required").filter((k) => typeof k === "string"))
      const fields = Object.entries(properties).flatMap(([name, property]) =>
        isNode(property) ? [[name, property] as const] : [],
      )
      const record = fc
        .tuple(
          ...fields.map(([name, property]) =>
            fc.tuple(
              fc.constant(name),
              valueFor(property, components, depth + 1),
              // Required fields are there nine times in ten, optional ones half the time.
              fc.integer({ min: 0, max: 9 }).map((n) => (required.has(name) ? n > 0 : n > 4)),
            ),
          ),
        )
        .chain((entries) =>
          // An extra field one time in ten.
          fc
            .oneof(
              { weight: 9, arbitrary: fc.constant({}) },
              { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), anyJson, { maxKeys: 2 }) },
            )
            .map((extra) =>
              Object.fromEntries([
                ...entries.flatMap(([name, value, present]) => (present ? [[name, value] as const] : [])),
                ...Object.entries(extra),
              ]),
            ),
        )
      return fc.oneof({ weight: 8, arbitrary: record }, wrong)
    }
    case "array": {
      const items = nodeAt(schema, "items")
      return fc.oneof(
        { weight: 6, arbitrary: fc.array(valueFor(items, components, depth + 1), { maxLength: 4 }) },
        wrong,
      )
    }
    case "string":
      return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...examples, ...plausibleStrings) },
        { weight: 3, arbitrary: hostileString },
        wrong,
      )
    case "integer":
    case "number": {
      const min = numberAt(schema, "minimum") ?? -1_000
      const max = numberAt(schema, "maximum") ?? 1_000_000
      return fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: Math.ceil(min), max: Math.floor(Math.max(min, max)) }) },
        { weight: 2, arbitrary: fc.double({ noNaN: true }) },
        { weight: 1, arbitrary: fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53, 1e21, -0.5) },
        wrong,
      )
    }
    case "boolean":
      return fc.oneof({ weight: 4, arbitrary: fc.boolean() }, wrong)
    default:
      return anyJson
  }
}

const formEncoded = (value: unknown) => {
  if (!isNode(value)) return asText(value)
  const form = new URLSearchParams()
  for (const [name, field] of Object.entries(value)) {
    form.append(name, asText(field))
  }
  return form.toString()
}

const contentTypes = [
  "application/json",
  "application/json; charset=utf-8",
  "application/x-www-form-urlencoded",
  "text/plain",
  "text/xml",
  "multipart/form-data; boundary=x",
  "multipart/form-data",
  "application/octet-stream",
  "garbage",
  "application/json; charset=ebcdic",
]

/** The body of an operation that takes one: JSON of a value for its schema, or something else entirely. */
const bodyFor = (schema: Node | undefined, components: Node) => {
  const value = schema === undefined ? anyJson : valueFor(schema, components, 0)
  return fc.oneof(
    {
      weight: 10,
      arbitrary: value.map((v) => ({ type: "application/json", text: JSON.stringify(v) ?? "null" })),
    },
    {
      weight: 2,
      arbitrary: value.map((v) => ({ type: "application/x-www-form-urlencoded", text: formEncoded(v) })),
    },
    { weight: 2, arbitrary: deepNesting.map((text) => ({ type: "application/json", text })) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...contentTypes), value).map(([type, v]) => ({
        type,
        text: JSON.stringify(v) ?? "",
      })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(value, fc.nat()).map(([v, cut]) => {
        const text = JSON.stringify(v) ?? ""
        return { type: "application/json", text: text.slice(0, cut % (text.length + 1)) }
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: "binary", maxLength: 200 })
        .map((text) => ({ type: "application/json", text })),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  )
}

/** Header values Node will send: no control characters, Latin-1 only. */
const headerSafe = (value: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(value)

const authorizations = (tokens: Tokens) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(`Bearer ${tokens.admin}`) },
    { weight: 2, arbitrary: fc.constant(`Bearer ${tokens.operator}`) },
    { weight: 1, arbitrary: fc.constant(`Bearer ${tokens.viewer}`) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        "Bearer",
        "Bearer ",
        "Bearer  ",
        `Bearer ${tokens.admin}x`,
        `bearer ${tokens.admin}`,
        `Bearer ${tokens.admin.slice(0, -1)}`,
        "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
        "Token abc",
        `Bearer ${"a".repeat(8000)}`,
        "Bearer évg",
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 60 }).filter(headerSafe) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  )

const pathSegment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("abc", "1", "0", "-1", "99999999999", "key_x", "cmp_1", "CA123") },
  { weight: 4, arbitrary: hostileString.filter((s) => s.length < 5_000).map(urlEncoded) },
  { weight: 2, arbitrary: fc.constantFrom("%ZZ", "%", "%00", "%2e%2e", "..", "%C0%AE", "%ff%fe", "a%2Fb") },
)

const queryValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...plausibleStrings, "1", "50", "0", "-5", "abc") },
  { weight: 3, arbitrary: hostileString.filter((s) => s.length < 5_000).map(urlEncoded) },
  { weight: 1, arbitrary: fc.constantFrom("%ZZ", "%", "%00") },
)

interface Operation {
  readonly method: string
  readonly path: string
  readonly pathParams: ReadonlyArray<string>
  readonly queryParams: ReadonlyArray<readonly [name: string, schema: Node]>
  readonly headerParams: ReadonlyArray<string>
  readonly body: Node | undefined
  readonly takesBody: boolean
}

/**
 * Every operation of the document but those `excluded` ("PUT /config", as the document names it), each at its
 * full path: the document's paths are relative to its first server.
 */
export const operationsOf = (document: unknown, excluded: ReadonlySet<string>): ReadonlyArray<Operation> => {
  const doc = isNode(document) ? document : {}
  const [server] = listAt(doc, "servers").filter(isNode)
  const base = server === undefined ? "" : (textAt(server, "url") ?? "")
  return Object.entries(nodeAt(doc, "paths")).flatMap(([path, item]) =>
    Object.entries(isNode(item) ? item : {}).flatMap(([method, operation]) => {
      if (!isNode(operation) || excluded.has(`${method.toUpperCase()} ${path}`)) return []
      const parameters = listAt(operation, "parameters").filter(isNode)
      const named = (where: string) =>
        parameters.filter((p) => p.in === where).flatMap((p) => (typeof p.name === "string" ? [p] : []))
      const content = nodeAt(nodeAt(operation, "requestBody"), "content")
      const json = nodeAt(content, "application/json")
      return [
        {
          method: method.toUpperCase(),
          path: `${base}${path}`,
          pathParams: named("path").map((p) => String(p.name)),
          queryParams: named("query").map((p) => [String(p.name), nodeAt(p, "schema")] as const),
          headerParams: named("header").map((p) => String(p.name)),
          body: isNode(json.schema) ? json.schema : undefined,
          takesBody: method !== "get" && method !== "delete",
        },
      ]
    }),
  )
}

const requestFor = (operation: Operation, components: Node, tokens: Tokens): fc.Arbitrary<FuzzRequest> => {
  const path = fc
    .tuple(...operation.pathParams.map(() => pathSegment))
    .map((segments) =>
      operation.pathParams.reduce((p, name, i) => p.replace(`{${name}}`, segments[i] ?? ""), operation.path),
    )
  const query = fc
    .tuple(
      ...operation.queryParams.map(([name, schema]) =>
        fc.oneof(
          fc.constant(undefined),
          valueFor(schema, components, 0).map((v) => `${name}=${urlEncoded(asText(v))}`),
          queryValue.map((v) => `${name}=${v}`),
        ),
      ),
      fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: queryValue.map((v) => `extra=${v}`) },
        { weight: 1, arbitrary: fc.constantFrom("%", "&&&=", "a=%ZZ", "=x", "token=%00") },
      ),
    )
    .map((parts) => parts.filter((p): p is string => p !== undefined).join("&"))
  const body = operation.takesBody ? bodyFor(operation.body, components) : fc.constant(undefined)
  const method = fc.oneof(
    { weight: 19, arbitrary: fc.constant(operation.method) },
    fc.constantFrom("PATCH", "PUT", "GET"),
  )
  const idempotency = fc.option(
    fc.oneof(
      fc.uuid(),
      hostileString.filter(headerSafe).filter((s) => s.length < 2_000),
    ),
  )
  return fc
    .record({ method, path, query, body, authorization: authorizations(tokens), idempotency })
    .map(({ method, path, query, body, authorization, idempotency }) => ({
      method,
      path: query.length > 0 ? `${path}?${query}` : path,
      headers: {
        ...(authorization === undefined ? {} : { authorization }),
        ...(body === undefined || body.type === "" ? {} : { "content-type": body.type }),
        ...(idempotency === null || operation.headerParams.length === 0
          ? {}
          : { "idempotency-key": idempotency }),
      },
      body: body?.text,
      operation: `${operation.method} ${operation.path}`,
    }))
}

/** A request to any operation of the document, with equal chances for each. */
export const fuzzRequests = (document: unknown, excluded: ReadonlySet<string>, tokens: Tokens) => {
  const components = nodeAt(nodeAt(isNode(document) ? document : {}, "components"), "schemas")
  return fc.oneof(
    ...operationsOf(document, excluded).map((operation) => requestFor(operation, components, tokens)),
  )
}
