import { describe, expect, it } from "vitest";
import { can, PERMISSIONS, ROLES } from "~/domain/roles";

describe("roles", () => {
  it("lets viewers only read and export", () => {
    const allowed = (Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]).filter((p) => can("viewer", p));
    expect(allowed.sort()).toEqual(["export", "read"]);
  });

  it("gives the clerk the structure, the trust's users, approvals and publication", () => {
    for (const p of ["manageStructure", "manageUsers", "approve", "publish", "export"] as const) expect(can("clerk", p)).toBe(true);
  });

  it("lets CEOs and trustees edit drafts but not manage users or approve", () => {
    for (const role of ["ceo", "trustee"] as const) {
      expect(can(role, "editDraft")).toBe(true);
      expect(can(role, "manageUsers")).toBe(false);
      expect(can(role, "approve")).toBe(false);
    }
  });

  it("lets every role read", () => {
    for (const role of ROLES) expect(can(role, "read")).toBe(true);
  });
});
