import { describe, expect, it } from "vitest";
import { auditValueInWords } from "~/domain/audit-words";

describe("an audit entry's values in words", () => {
  it("reads plain values, fields and lists out plainly", () => {
    expect(auditValueInWords(null)).toBeNull();
    expect(auditValueInWords({ code: null })).toBe("code: none");
    expect(auditValueInWords({ decisionKey: "RASCI", locked: true, position: 3 })).toBe("decision key: RASCI; locked: yes; position: 3");
    expect(auditValueInWords({ tags: ["strand", "innovation"], draft: { number: 2 } })).toBe("tags: strand, innovation; draft: (number: 2)");
    expect(auditValueInWords("")).toBe("(blank)");
  });

  it("cuts a long value short", () => {
    const text = auditValueInWords({ guidance: "x".repeat(1000) })!;
    expect(text.length).toBe(400);
    expect(text.endsWith("…")).toBe(true);
  });
});
