import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/auth.server";

describe("where sign-in goes next", () => {
  it("follows paths on this site", () => {
    expect(safeRedirect("/trusts/north-dales?tab=1")).toBe("/trusts/north-dales?tab=1");
  });

  it("never follows a link to another site", () => {
    for (const evil of ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "", null, undefined]) {
      expect(safeRedirect(evil)).toBe("/trusts");
    }
  });
});
