import { describe, expect, it } from "vitest";
import {
  codeColumnNeed,
  fitPicture,
  LANDSCAPE,
  matrixLayout,
  matrixOrientation,
  PORTRAIT,
  rasterZoom,
  tableColumns,
  textHeight,
  textWidth,
} from "~/domain/document-layout";

const NATIONAL = ["Members", "Board", "ARC", "F&R", "Standards", "People", "Estates", "CEO", "CFO", "DoE", "RDs", "Cluster", "LGB", "Head", "Diocese"];
const SMALL_TRUST = ["Members", "Board", "F&R", "CEO", "LGB", "Head"];
const REFS = ["1.1", "9.18", "12.18"];

const total = (layout: ReturnType<typeof matrixLayout>) => layout.reference + layout.title + layout.codes.reduce((s, w) => s + w, 0);

describe("the matrix's page", () => {
  it("is portrait for a small trust's columns and landscape for the national trust's fifteen", () => {
    expect(matrixOrientation(SMALL_TRUST, REFS)).toBe("portrait");
    expect(matrixOrientation(NATIONAL, REFS)).toBe("landscape");
    expect(matrixLayout(NATIONAL, REFS).page).toBe(LANDSCAPE);
    expect(matrixLayout(SMALL_TRUST, REFS).page).toBe(PORTRAIT);
  });

  it("turns landscape as soon as the columns leave the title less than 6 cm on a portrait page", () => {
    const headings = Array.from({ length: 20 }, (_, i) => `C${i}`);
    const fitting = headings.findIndex((_, n) => matrixOrientation(headings.slice(0, n + 1), REFS) === "landscape");
    // Each short heading needs 1 cm: 17 cm of text, less 1.1 cm of reference and 6 cm of title, leaves room for nine; the tenth turns the page.
    expect(fitting + 1).toBe(10);
  });

  it("counts a long heading's longest word, not its length, since a heading wraps between words", () => {
    expect(codeColumnNeed("Standards")).toBeGreaterThan(codeColumnNeed("CEO"));
    expect(codeColumnNeed("Local governing bodies")).toBe(codeColumnNeed("governing"));
    expect(codeColumnNeed("A very very long heading with many words")).toBe(codeColumnNeed("heading"));
  });
});

describe("the matrix's column widths", () => {
  it("add up to the page's text width exactly, with every code column as wide as its heading needs", () => {
    for (const headings of [SMALL_TRUST, NATIONAL]) {
      const layout = matrixLayout(headings, REFS);
      expect(total(layout)).toBe(textWidth(layout.page));
      layout.codes.forEach((width, i) => expect(width).toBeGreaterThanOrEqual(codeColumnNeed(headings[i]!)));
      expect(layout.title).toBeGreaterThanOrEqual(3402);
      expect(layout.codes.every(Number.isInteger)).toBe(true);
    }
  });

  it("keeps the title at most 12 cm and gives the rest to the code columns", () => {
    const layout = matrixLayout(["Board", "Head"], REFS);
    expect(layout.title).toBe(6804);
    const extra = layout.codes.map((w, i) => w - codeColumnNeed(["Board", "Head"][i]!));
    expect(extra[0]).toBeGreaterThan(400);
    expect(Math.abs(extra[0]! - extra[1]!)).toBeLessThanOrEqual(1);
  });

  it("squeezes many columns on a landscape page, none below 0.7 cm, before the title goes below 4 cm", () => {
    const headings = Array.from({ length: 28 }, (_, i) => `Committee${i}`);
    const layout = matrixLayout(headings, REFS);
    expect(layout.page).toBe(LANDSCAPE);
    expect(total(layout)).toBe(textWidth(LANDSCAPE));
    expect(Math.min(...layout.codes)).toBeGreaterThanOrEqual(397);
    expect(layout.title).toBeGreaterThanOrEqual(2268);
  });

  it("widens the reference column for long references", () => {
    expect(matrixLayout(SMALL_TRUST, ["12.118.4"]).reference).toBeGreaterThan(matrixLayout(SMALL_TRUST, ["1.1"]).reference);
  });

  it("shares a page among any table's columns in proportion", () => {
    const widths = tableColumns(PORTRAIT, [1, 2, 1]);
    expect(widths.reduce((s, w) => s + w, 0)).toBe(textWidth(PORTRAIT));
    expect(widths[1]).toBeCloseTo(2 * widths[0]!, -1);
  });
});

describe("the structure chart as a picture", () => {
  it("fills the text width, keeping its proportions, unless that would make it taller than allowed", () => {
    const wide = fitPicture({ width: 1000, height: 500 }, PORTRAIT);
    expect(wide.width * 15).toBeCloseTo(textWidth(PORTRAIT), -2);
    expect(Math.abs(wide.height - wide.width / 2)).toBeLessThanOrEqual(1);
    const tall = fitPicture({ width: 500, height: 2000 }, PORTRAIT, 0.5);
    expect(tall.height * 15).toBeCloseTo(textHeight(PORTRAIT) / 2, -2);
    expect(Math.abs(tall.width - tall.height / 4)).toBeLessThanOrEqual(1);
  });

  it("is drawn at 200 dots to the inch for its size on the page", () => {
    expect(rasterZoom({ width: 1000, height: 500 }, { width: 480, height: 240 })).toBeCloseTo(1);
    expect(rasterZoom({ width: 1000, height: 500 }, { width: 480, height: 240 }, 300)).toBeCloseTo(1.5);
  });
});
