// Who may do what: each role may do all that the roles below it may.
import { Schema } from "effect"

export const roles = ["viewer", "operator", "admin"] as const
export const Role = Schema.Literal(...roles).annotations({
  identifier: "Role",
  message: (issue) => ({
    message: `must be one of ${roles.join(", ")}, got ${JSON.stringify(issue.actual)}`,
    override: true,
  }),
})
export type Role = typeof Role.Type

export const roleRank = (role: Role): number => roles.indexOf(role)

export const roleAllows = (held: Role, required: Role): boolean => roleRank(held) >= roleRank(required)
