/**
 * The governance chart as a picture for the Word document: the same SVG the structure page draws,
 * turned into a PNG at print resolution for its size on the page (Word and LibreOffice do not all read
 * SVG pictures; ADR 013). The drawing is done on a worker thread, so the document can be built meanwhile.
 */
import { renderAsync } from "@resvg/resvg-js";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describeStructure, GovernanceChart } from "../components/governance-chart";
import { fitPicture, rasterZoom, type PageGeometry, type PictureSize } from "../domain/document-layout";
import type { SchemeDocumentData } from "../domain/scheme-document";

export interface ChartPicture {
  png: Buffer;
  /** Its size on the page, in pixels at 96 to the inch. */
  size: PictureSize;
  /** What the chart shows, in words: the picture's alternative text. */
  description: string;
}

/** The chart's SVG, as the structure page renders it, and its drawn size from its view box. */
export function chartSvg(chart: SchemeDocumentData["structure"]["chart"], title: string): { svg: string; size: PictureSize } {
  const markup = renderToStaticMarkup(createElement(GovernanceChart, { bodies: chart.bodies, schools: chart.schools, title }));
  const svg = /<svg[\s\S]*<\/svg>/.exec(markup)?.[0];
  const box = svg ? /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg) : null;
  if (!svg || !box) throw new Error("The governance chart did not render as an SVG drawing with a view box.");
  return { svg, size: { width: Number(box[1]), height: Number(box[2]) } };
}

/** The chart drawn to fit the text width of `page` and at most `heightShare` of its height. */
export async function chartPicture(chart: SchemeDocumentData["structure"]["chart"], title: string, page: PageGeometry, heightShare: number): Promise<ChartPicture> {
  const { svg, size } = chartSvg(chart, title);
  const onPage = fitPicture(size, page, heightShare);
  const image = await renderAsync(svg, {
    fitTo: { mode: "zoom", value: rasterZoom(size, onPage) },
    background: "#ffffff",
    // Calibri's metric twin where Calibri itself is not installed, as LibreOffice uses it.
    font: { loadSystemFonts: true, defaultFontFamily: "Carlito" },
  });
  return { png: image.asPng(), size: onPage, description: describeStructure(chart.bodies, chart.schools) };
}
