// A campaign message per contact: `{{name}}` and the contact's metadata keys filled in; an unknown variable is
// left as written so the operator sees it rather than a silent gap.
export const renderTemplate = (
  template: string,
  contact: {
    readonly name?: string | undefined
    readonly metadata?: Readonly<Record<string, unknown>> | undefined
  },
): string =>
  template.replace(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (whole, key: string) => {
    if (key === "name") return contact.name ?? whole
    const value = contact.metadata?.[key]
    if (value === undefined || value === null) return whole
    return typeof value === "object" ? JSON.stringify(value) : String(value)
  })
