/**
 * The earned-autonomy checks read each school's effective scheme cell by cell; it must give exactly
 * what effectiveCells builds (base ← decided tier's variants ← the school's own, locked rows never
 * varying), for any scheme.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TIERS } from "~/domain/autonomy";
import { DECISION_CODES } from "~/domain/codes";
import { tieredTrust } from "~/domain/rules/tiered-schools";
import { cellKey, effectiveCells, type Scheme, type Variant } from "~/domain/scheme";
import { decision } from "../earned-autonomy/records";
import { autonomy, column, context, ownRow, scheme, school } from "./scheme-builder";

const ROWS = ["r1", "r2", "r3", "r4"];
const COLUMNS = ["c1", "c2", "c3"];
const KEYS = ROWS.flatMap((r) => COLUMNS.map((c) => cellKey(r, c)));

const code = fc.constantFrom(...DECISION_CODES);
const variants = fc.dictionary(fc.constantFrom(...KEYS), fc.record({ code: fc.option(code, { nil: null }), note: fc.constant(null) }), { maxKeys: 8 });

describe("a school's effective scheme, cell by cell", () => {
  it("matches effectiveCells for any base, tier variants, own variations, locks and decided tier", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...KEYS), fc.record({ code, note: fc.constant(null) }), { maxKeys: 12 }),
        fc.record({ T0: variants, T1: variants, T2: variants, T3: variants, T4: variants }),
        variants,
        fc.subarray(ROWS),
        fc.option(fc.constantFrom(...TIERS), { nil: null }),
        (cells, tierCells, own, locked, tier) => {
          const built: Scheme = {
            ...scheme({ columns: COLUMNS.map((id) => column(id, "local")), rows: ROWS.map((id) => ownRow(id, { locked: locked.includes(id) })), schools: [school("s")] }),
            cells,
            tierCells: tierCells as Record<string, Record<string, Variant>>,
            schoolCells: { s: own as Record<string, Variant> },
          };
          const decisions = tier ? [decision(tier, "2025-01-01", { schoolId: "s" })] : [];
          const [entry] = tieredTrust(context(built, { autonomy: autonomy({ s: { decisions } }) }))!.schools;
          const expected = effectiveCells(built, "s", tier);
          for (const rowId of ROWS) for (const columnId of COLUMNS) expect(entry!.code(rowId, columnId)).toBe(expected[cellKey(rowId, columnId)]?.code ?? null);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("takes the decided tier from the decision in effect today", () => {
    const built = scheme({ columns: [column("c1", "local")], rows: [ownRow("r1")], schools: [school("s")] });
    const trust = tieredTrust(context(built, { today: "2026-11-24", autonomy: autonomy({ s: { decisions: [decision("T3", "2025-01-01", { schoolId: "s" }), decision("T1", "2027-01-01", { schoolId: "s" })] } }) }));
    expect(trust!.schools[0]!.tier).toBe("T3");
    expect(tieredTrust(context(built))).toBeNull();
  });
});
