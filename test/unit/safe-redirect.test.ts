import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/auth.server";

describe("where sign-in goes next", () => {
  it("follows paths on this site", () => {
    expect(safeRedirect("/trusts/north-dales?tab=1")).toBe("/trusts/north-dales?tab=1");
    expect(safeRedirect("/trusts/north-dales/versions/3#row-12")).toBe("/trusts/north-dales/versions/3#row-12");
  });

  it("never follows a link to another site", () => {
    for (const evil of ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "", null, undefined]) {
      expect(safeRedirect(evil)).toBe("/trusts");
    }
  });

  it("never follows a path that a browser reads as another site (it drops tabs and line breaks, and reads \\ as /)", () => {
    for (const evil of ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/\t\\evil.example", "/\\\t\\evil.example"]) {
      expect(new URL(evil, "https://sod.example").host, `a browser reads ${JSON.stringify(evil)} as another site`).toBe("evil.example");
      expect(safeRedirect(evil), JSON.stringify(evil)).toBe("/trusts");
    }
  });

  it("never answers with a path that starts // once dots are resolved, which would name another site", () => {
    for (const evil of ["/.//evil.example", "/..//evil.example", "/a/..//evil.example", "/%2e//evil.example"]) {
      expect(safeRedirect(evil), evil).toBe("/trusts");
    }
  });

  it("follows what the browser would have followed on this site, with tabs and line breaks taken out", () => {
    expect(safeRedirect("/trusts/\tnorth-dales")).toBe("/trusts/north-dales");
    expect(new URL(safeRedirect("/trusts/a\\b"), "https://sod.example").host).toBe("sod.example");
  });
});
