/**
 * Roles a person holds in a trust, and what each may do.
 * Viewers only read; clerks keep the structure, the trust's users, approvals and exports;
 * CEOs and trustees edit drafts; only the clerk and the CEO may throw a draft away.
 */
export const ROLES = ["ceo", "clerk", "trustee", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  ceo: "CEO",
  clerk: "Clerk / governance professional",
  trustee: "Trustee",
  viewer: "Viewer",
};

export const PERMISSIONS = {
  read: ["ceo", "clerk", "trustee", "viewer"],
  editDraft: ["ceo", "clerk", "trustee"],
  manageStructure: ["clerk"],
  manageUsers: ["clerk"],
  approve: ["clerk"],
  discardDraft: ["clerk", "ceo"],
  export: ["clerk", "ceo", "trustee", "viewer"],
  publish: ["clerk"],
  editStrategy: ["ceo", "clerk", "trustee"],
  recordPerformance: ["clerk", "ceo"],
  acknowledgeFindings: ["clerk", "ceo"],
  reviewBreakPoints: ["ceo", "clerk"],
  editRuleSettings: ["clerk"],
  editTierPolicy: ["clerk"],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
