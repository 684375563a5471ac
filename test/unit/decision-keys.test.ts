import { describe, expect, it } from "vitest";
import { BUILT_IN_KEYS, findKey, KeyError, markFor, parseCustomKey, readMark, resolveKey } from "~/domain/decision-keys";

describe("decision keys", () => {
  it("maps each real-world convention onto the canonical codes", () => {
    expect(readMark(findKey("x")!, "x")).toBe("D");
    expect(readMark(findKey("x")!, "*")).toBe("C");
    expect(readMark(findKey("y-a")!, "Y")).toBe("D");
    expect(readMark(findKey("y-a")!, "a")).toBe("A");
    expect(readMark(findKey("responsible-recommends")!, " Responsible ")).toBe("D");
    expect(readMark(findKey("responsible-recommends")!, "Recommends")).toBe("R");
    expect(readMark(findKey("rasci")!, "A")).toBe("D");
    expect(readMark(findKey("rasci")!, "R")).toBe("E");
    expect(readMark(findKey("rasci")!, "S")).toBe("E");
    expect(readMark(findKey("defined-phrases")!, "Determine")).toBe("D");
    expect(readMark(findKey("defined-phrases")!, "review")).toBe("M");
    expect(readMark(findKey("codes")!, "-")).toBe("—");
  });

  it("tells an empty cell (no code) from a mark the key does not know", () => {
    expect(readMark(findKey("x")!, "  ")).toBeUndefined();
    expect(readMark(findKey("x")!, "Q")).toBeNull();
  });

  it("reads a custom key and refuses a malformed one with the part that is wrong", () => {
    const key = parseCustomKey("X=D, *=C, Lead=d, n/a=-");
    expect(readMark(key, "lead")).toBe("D");
    expect(readMark(key, "N/A")).toBe("—");
    expect(() => parseCustomKey("X=Z")).toThrow(/"X=Z": Z is not a decision code/);
    expect(() => parseCustomKey("X")).toThrow(/not a MARK=CODE pair/);
    expect(() => parseCustomKey("X=D,X=C")).toThrow(/two codes/);
    expect(() => parseCustomKey(" , ")).toThrow(KeyError);
  });

  it("resolves a key by name or as a custom mapping, and names the choices for an unknown one", () => {
    expect(resolveKey("RASCI").name).toBe("rasci");
    expect(resolveKey("X=D").name).toBe("custom");
    expect(() => resolveKey("traffic-lights")).toThrow(/codes, x, y-a, responsible-recommends, rasci, defined-phrases/);
  });

  it("writes back a mark that reads as the same code under every built-in key", () => {
    for (const key of BUILT_IN_KEYS) {
      for (const code of new Set(Object.values(key.marks))) {
        const mark = markFor(key, code)!;
        expect(readMark(key, mark)).toBe(code);
      }
    }
  });
});
