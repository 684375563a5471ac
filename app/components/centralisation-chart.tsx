/**
 * The centralisation profile as server-rendered SVG: the trust's index by area (bars) and by surveyed
 * responsibility (dots) on the research's 0–10 scale, with the research's position (a diamond, above
 * the line) and the trust's strategy cluster's expected position (a triangle, below it). Shape and
 * place tell the markers apart, not colour alone; each chart is a described image with the same
 * figures as a table beneath it.
 */
import type { ReactNode } from "react";
import { CENTRALISATION_BY_KIND } from "~/domain/centralisation";
import type { ProfileArea, ProfileRow } from "~/domain/centralisation-profile";
import type { BodyKind } from "~/domain/structure";
import { wrapText } from "./governance-chart-layout";

export interface ChartCluster {
  number: number;
  name: string;
}

const WIDTH = 900;
const X0 = 320;
const X1 = 850;
const TOP = 34;
const AXIS_HEIGHT = 44;
const FONT = "Calibri, Carlito, Arial, sans-serif";

const INK = "#0b0c0c";
const MUTED = "#505a5f";
const GRID = "#b1b4b6";
const TRUST = "#1d3c6e";
const RESEARCH = "#505a5f";
const CLUSTER = "#8a4b00";

/** Where the research's levels sit on the scale, named as short as an axis allows. */
const LEVEL_NAMES: Partial<Record<BodyKind, string>> = {
  school: "Headteacher",
  local: "Local board",
  cluster: "Cluster",
  executive: "Executive",
  board: "Board",
};
const LEVELS = Object.entries(LEVEL_NAMES).map(([kind, name]) => ({ value: CENTRALISATION_BY_KIND[kind as BodyKind]!, name }));

const x = (index: number) => X0 + (index / 10) * (X1 - X0);

export function formatIndex(value: number | null): string {
  if (value === null) return "—";
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function Diamond({ cx, cy, size = 7 }: { cx: number; cy: number; size?: number }) {
  return <path d={`M${cx},${cy - size} L${cx + size},${cy} L${cx},${cy + size} L${cx - size},${cy} Z`} fill={RESEARCH} stroke="#ffffff" strokeWidth={1} />;
}

/** Points up, at the line it marks from below. */
function Triangle({ cx, cy, size = 7 }: { cx: number; cy: number; size?: number }) {
  return <path d={`M${cx},${cy - size} L${cx + size},${cy + size * 0.8} L${cx - size},${cy + size * 0.8} Z`} fill={CLUSTER} stroke="#ffffff" strokeWidth={1} />;
}

/** The research's marker above the line and the cluster's below it, each pointing at its position. */
function Markers({ y, research, cluster, gap }: { y: number; research: number | null; cluster: number | null; gap: number }) {
  return (
    <>
      {research !== null ? <Diamond cx={x(research)} cy={y - gap} /> : null}
      {cluster !== null ? <Triangle cx={x(cluster)} cy={y + gap} /> : null}
    </>
  );
}

/** The gridlines at the research's levels, the direction of the scale above, and the levels below. */
function Scale({ height }: { height: number }) {
  const bottom = height - AXIS_HEIGHT;
  return (
    <g>
      <text x={X0} y={18} fontSize={12} fill={MUTED}>
        ← devolved to schools
      </text>
      <text x={X1} y={18} fontSize={12} fill={MUTED} textAnchor="end">
        retained by the trust →
      </text>
      {LEVELS.map((level) => (
        <g key={level.value}>
          <line x1={x(level.value)} x2={x(level.value)} y1={TOP - 8} y2={bottom} stroke={GRID} strokeDasharray="3 3" />
          <text x={x(level.value)} y={bottom + 16} fontSize={12} fontWeight={700} fill={INK} textAnchor="middle">
            {level.value}
          </text>
          <text x={x(level.value)} y={bottom + 31} fontSize={11} fill={MUTED} textAnchor="middle">
            {level.name}
          </text>
        </g>
      ))}
    </g>
  );
}

function ChartSvg({
  id,
  title,
  description,
  height,
  backdrop,
  children,
}: {
  id: string;
  title: string;
  description: string;
  height: number;
  /** Drawn beneath the gridlines. */
  backdrop?: ReactNode;
  children: ReactNode;
}) {
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      className="profile-chart__svg"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      fontFamily={FONT}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      {backdrop}
      <Scale height={height} />
      {children}
    </svg>
  );
}

function Legend({ trust, cluster }: { trust: "bar" | "dot"; cluster: ChartCluster | null }) {
  const icon = (shape: ReactNode) => (
    <svg width="22" height="16" viewBox="0 0 22 16" aria-hidden="true" focusable="false">
      {shape}
    </svg>
  );
  return (
    <ul className="profile-legend">
      <li>
        {icon(trust === "bar" ? <rect x={1} y={4} width={20} height={8} fill={TRUST} /> : <circle cx={11} cy={8} r={6} fill={TRUST} />)}
        This trust
      </li>
      <li>
        {icon(<Diamond cx={11} cy={8} />)}
        The research (the product&apos;s reading of its findings)
      </li>
      {cluster ? (
        <li>
          {icon(<Triangle cx={11} cy={8} />)}
          Expected in cluster {cluster.number} ({cluster.name.toLowerCase()})
        </li>
      ) : null}
    </ul>
  );
}

function extremes<T>(items: T[], value: (item: T) => number | null): { high: T; low: T } | null {
  const valued = items.filter((item) => value(item) !== null);
  if (valued.length === 0) return null;
  const sorted = [...valued].sort((a, b) => value(b)! - value(a)!);
  return { high: sorted[0]!, low: sorted[sorted.length - 1]! };
}

/** The chart's description: what it shows and where the trust is most and least centralised. */
export function describeAreas(areas: ProfileArea[], cluster: ChartCluster | null): string {
  const ends = extremes(areas, (a) => a.mean);
  const undecided = areas.filter((a) => a.mean === null).length;
  return [
    "The mean centralisation index of each area's responsibilities, from 0 (devolved to schools) to 10 (retained by the trust).",
    ends
      ? `Most centralised: ${ends.high.name}, ${formatIndex(ends.high.mean)}. Least centralised: ${ends.low.name}, ${formatIndex(ends.low.mean)}.`
      : "No responsibility has a decision-maker yet.",
    undecided > 0 ? `${undecided} ${undecided === 1 ? "area has" : "areas have"} no responsibility with a decision-maker.` : "",
    `Markers show the research's position${cluster ? ` and cluster ${cluster.number}'s expected position` : ""} for the areas of the responsibilities it surveyed; the table below gives every figure.`,
  ]
    .filter(Boolean)
    .join(" ");
}

export function describeResponsibilities(rows: ProfileRow[], cluster: ChartCluster | null): string {
  const compared = rows.filter((r) => r.index !== null && r.research !== null);
  const furthest = [...compared].sort((a, b) => Math.abs(b.index! - b.research!.overall) - Math.abs(a.index! - a.research!.overall))[0];
  return [
    `The centralisation index of each of the research's ${rows.length} surveyed responsibilities in this version, from 0 (devolved to schools) to 10 (retained by the trust), beside the research's position${
      cluster ? ` and cluster ${cluster.number}'s expected position` : ""
    }.`,
    furthest
      ? `Furthest from the research: ${furthest.title}, at ${formatIndex(furthest.index)} against ${formatIndex(furthest.research!.overall)}.`
      : "",
    "The table below gives every figure.",
  ]
    .filter(Boolean)
    .join(" ");
}

const AREA_ROW = 50;

export function AreaChart({ areas, cluster, versionNumber }: { areas: ProfileArea[]; cluster: ChartCluster | null; versionNumber: number }) {
  const height = TOP + areas.length * AREA_ROW + AXIS_HEIGHT;
  return (
    <figure className="profile-chart">
      <Legend trust="bar" cluster={cluster} />
      <ChartSvg id="area-chart" title={`Centralisation by area, version ${versionNumber}`} description={describeAreas(areas, cluster)} height={height}>
        {areas.map((a, i) => {
          const y = TOP + i * AREA_ROW + AREA_ROW / 2;
          return (
            <g key={a.area}>
              <text x={X0 - 14} y={y - 2} fontSize={13} fontWeight={700} fill={INK} textAnchor="end">
                {a.name}
              </text>
              <text x={X0 - 14} y={y + 13} fontSize={11} fill={MUTED} textAnchor="end">
                {a.rows === 0 ? "no responsibilities" : `${a.decided} of ${a.rows} with a D`}
              </text>
              {a.mean !== null ? (
                <>
                  <rect x={X0} y={y - 7} width={Math.max(x(a.mean) - X0, 2)} height={14} fill={TRUST} />
                  <text x={x(a.mean) + 8} y={y + 4} fontSize={12} fontWeight={700} fill={INK}>
                    {formatIndex(a.mean)}
                  </text>
                </>
              ) : a.rows > 0 ? (
                <text x={X0 + 8} y={y + 4} fontSize={12} fontStyle="italic" fill={MUTED}>
                  no D recorded
                </text>
              ) : null}
              <Markers y={y} research={a.research} cluster={a.clusterExpectation} gap={15} />
            </g>
          );
        })}
      </ChartSvg>
      <details>
        <summary>The figures as a table</summary>
        <table className="data">
          <caption>Mean centralisation index by area (0 devolved to schools, 10 retained by the trust)</caption>
          <thead>
            <tr>
              <th scope="col">Area</th>
              <th scope="col" className="numeric">
                This trust
              </th>
              <th scope="col" className="numeric">
                Responsibilities with a D
              </th>
              <th scope="col" className="numeric">
                The research
              </th>
              {cluster ? (
                <th scope="col" className="numeric">
                  Cluster {cluster.number}
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {areas.map((a) => (
              <tr key={a.area}>
                <th scope="row">{a.name}</th>
                <td className="numeric">{a.mean === null ? "no D" : formatIndex(a.mean)}</td>
                <td className="numeric">
                  {a.decided} of {a.rows}
                </td>
                <td className="numeric">{a.research === null ? "not surveyed" : formatIndex(a.research)}</td>
                {cluster ? <td className="numeric">{a.clusterExpectation === null ? "not surveyed" : formatIndex(a.clusterExpectation)}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

const LINE = 15;
const LABEL_CHARS = 44;
const MAX_LINES = 3;

function labelLines(row: ProfileRow): string[] {
  const lines = wrapText(`${row.ref} ${row.title}`, LABEL_CHARS);
  if (lines.length <= MAX_LINES) return lines;
  const kept = lines.slice(0, MAX_LINES);
  kept[MAX_LINES - 1] = `${kept[MAX_LINES - 1]!.slice(0, LABEL_CHARS - 1)}…`;
  return kept;
}

export function ResponsibilityChart({ rows, cluster, versionNumber }: { rows: ProfileRow[]; cluster: ChartCluster | null; versionNumber: number }) {
  const laid: { row: ProfileRow; lines: string[]; top: number; height: number }[] = [];
  let next = TOP;
  for (const row of rows) {
    const lines = labelLines(row);
    const rowHeight = Math.max(48, lines.length * LINE + 14);
    laid.push({ row, lines, top: next, height: rowHeight });
    next += rowHeight;
  }
  const height = next + AXIS_HEIGHT;
  return (
    <figure className="profile-chart">
      <Legend trust="dot" cluster={cluster} />
      <ChartSvg
        id="responsibility-chart"
        title={`Centralisation of the research's surveyed responsibilities, version ${versionNumber}`}
        description={describeResponsibilities(rows, cluster)}
        height={height}
        backdrop={laid.map(({ row, top, height: rowHeight }, i) =>
          i % 2 === 0 ? <rect key={row.id} x={0} y={top} width={WIDTH} height={rowHeight} fill="#f3f2f1" /> : null,
        )}
      >
        {laid.map(({ row, lines, top, height: rowHeight }) => {
          const y = top + rowHeight / 2;
          const firstLine = y - ((lines.length - 1) * LINE) / 2 + 4;
          return (
            <g key={row.id}>
              {lines.map((line, n) => (
                <text key={n} x={X0 - 14} y={firstLine + n * LINE} fontSize={13} fill={INK} textAnchor="end">
                  {line}
                </text>
              ))}
              <line x1={X0} x2={X1} y1={y} y2={y} stroke={GRID} />
              <Markers y={y} research={row.research?.overall ?? null} cluster={row.clusterExpectation} gap={15} />
              {row.index !== null ? (
                <>
                  <circle cx={x(row.index)} cy={y} r={6} fill={TRUST} stroke="#ffffff" strokeWidth={1.5} />
                  <text x={x(row.index) + 10} y={y + 4} fontSize={12} fontWeight={700} fill={INK}>
                    {formatIndex(row.index)}
                  </text>
                </>
              ) : (
                <text x={X0 + 8} y={y + 4} fontSize={12} fontStyle="italic" fill={MUTED}>
                  no D recorded
                </text>
              )}
            </g>
          );
        })}
      </ChartSvg>
      <details>
        <summary>The figures as a table</summary>
        <table className="data">
          <caption>Centralisation index of the surveyed responsibilities (0 devolved to schools, 10 retained by the trust)</caption>
          <thead>
            <tr>
              <th scope="col">Responsibility</th>
              <th scope="col" className="numeric">
                This trust
              </th>
              <th scope="col" className="numeric">
                The research
              </th>
              {cluster ? (
                <th scope="col" className="numeric">
                  Cluster {cluster.number}
                </th>
              ) : null}
              <th scope="col">What the research reports</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <th scope="row">
                  {row.ref} {row.title}
                </th>
                <td className="numeric">{row.index === null ? "no D" : formatIndex(row.index)}</td>
                <td className="numeric">{formatIndex(row.research?.overall ?? null)}</td>
                {cluster ? <td className="numeric">{formatIndex(row.clusterExpectation)}</td> : null}
                <td>
                  {row.research?.finding} <span className="muted">{row.research?.source}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
