import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ENTITY_KINDS, HISTORY_KINDS, HISTORY_KIND_LABELS, entitiesOfKind, historyKindOf, parseHistoryKind } from "~/domain/history-kinds";

const root = path.resolve(import.meta.dirname, "../..");

/** Every entity the code records changes of: `entity: "…"` in the models and seeds, and the few written another way. */
function recordedEntities(): Set<string> {
  const files = [
    ...fs.readdirSync(path.join(root, "app/models")).map((f) => path.join(root, "app/models", f)),
    ...fs.readdirSync(path.join(root, "db")).map((f) => path.join(root, "db", f)),
  ].filter((f) => f.endsWith(".ts"));
  const found = new Set<string>();
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    for (const match of text.matchAll(/\bentity: "([a-z-]+)"/g)) found.add(match[1]!);
    // Cells cleared with a body or school: cellEntry(…, "tier-cell", …).
    for (const match of text.matchAll(/cellEntry\([^")]*"([a-z-]+)"/g)) found.add(match[1]!);
  }
  // Saves of a row of cells and of a variant write their entries in SQL.
  expect(fs.readFileSync(path.join(root, "app/models/row-save.server.ts"), "utf8")).toContain("'update', 'cell'");
  expect(fs.readFileSync(path.join(root, "app/models/variant-save.server.ts"), "utf8")).toContain("${`${layer.kind}-cell`}");
  for (const entity of ["cell", "tier-cell", "school-cell"]) found.add(entity);
  // Entries of no trust never appear in a trust's history.
  found.delete("user");
  return found;
}

describe("kinds of change in a trust's history", () => {
  it("sorts what the brief names into its kind", () => {
    expect(["body", "school"].map(historyKindOf)).toEqual(["structure", "structure"]);
    expect(["performance-record", "school-review", "tier-decision"].map(historyKindOf)).toEqual(["school-records", "school-records", "school-records"]);
    expect(historyKindOf("autonomy-tiers")).toBe("tiers");
    expect(["trust", "strategy-profile"].map(historyKindOf)).toEqual(["settings", "settings"]);
    expect(["version", "cell", "tier-cell", "school-cell"].map(historyKindOf)).toEqual(["scheme", "scheme", "scheme", "scheme"]);
  });

  it("puts every entity in exactly one kind, and every kind has entities and a label", () => {
    const all = HISTORY_KINDS.flatMap((kind) => entitiesOfKind(kind));
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(Object.keys(ENTITY_KINDS).sort());
    for (const kind of HISTORY_KINDS) {
      expect(entitiesOfKind(kind).length, kind).toBeGreaterThan(0);
      expect(HISTORY_KIND_LABELS[kind].length, kind).toBeGreaterThan(0);
      for (const entity of entitiesOfKind(kind)) expect(historyKindOf(entity)).toBe(kind);
    }
  });

  it("gives an entity it does not know no kind, rather than guessing", () => {
    expect(historyKindOf("something-new")).toBeNull();
    expect(historyKindOf("")).toBeNull();
    expect(historyKindOf("constructor")).toBeNull();
    expect(historyKindOf("toString")).toBeNull();
  });

  it("knows every entity the code records a change of", () => {
    const recorded = recordedEntities();
    expect(recorded.size).toBeGreaterThan(10);
    const unsorted = [...recorded].filter((entity) => historyKindOf(entity) === null);
    expect(unsorted, "entities recorded by the code with no kind in app/domain/history-kinds.ts").toEqual([]);
  });

  it("reads a kind from the filter, and nothing else", () => {
    for (const kind of HISTORY_KINDS) expect(parseHistoryKind(kind)).toBe(kind);
    for (const text of ["", "Structure", "cell", "school records", "scheme ", "__proto__"]) expect(parseHistoryKind(text), text).toBeNull();
  });
});
