/**
 * The progress lines of `sod export-packs`: the first and the last, and in between as few as keep
 * every step between two lines within a tenth of the packs, whatever their number.
 */
import { describe, expect, it } from "vitest";
import { progressLines } from "~/cli/commands/export-packs";

function printed(total: number): string[] {
  const lines: string[] = [];
  const report = progressLines((line) => lines.push(line));
  // As the job reports: the start (twice: its stamp, then its count), then every pack.
  report(0, total);
  report(0, total);
  for (let done = 1; done <= total; done++) report(done, total);
  return lines;
}

const counts = (lines: string[]) => lines.map((l) => Number(/^Packs: (\d+)\//.exec(l)![1]));

describe("sod export-packs' progress lines", () => {
  it("for 100 packs are every tenth, from 0 % to 100 %", () => {
    expect(printed(100)).toEqual(Array.from({ length: 11 }, (_, i) => `Packs: ${i * 10}/100 (${i * 10} %)`));
  });

  it.each([1, 7, 13, 15, 99, 101, 1000])("for %i packs never step more than a tenth of them, and end at 100 %%", (total) => {
    const lines = printed(total);
    const done = counts(lines);
    expect(done[0]).toBe(0);
    expect(lines.at(-1)).toBe(`Packs: ${total}/${total} (100 %)`);
    for (let i = 1; i < done.length; i++) {
      expect(done[i]!).toBeGreaterThan(done[i - 1]!);
      expect((done[i]! - done[i - 1]!) * 10).toBeLessThanOrEqual(Math.max(total, 10));
    }
  });
});
