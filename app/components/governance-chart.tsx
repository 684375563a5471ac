/**
 * The governance chart as server-rendered SVG, with a text alternative that says the same in
 * words. Advisory bodies are drawn dashed and labelled, so the difference does not rely on colour.
 */
import { BODY_KIND_LABELS } from "~/domain/structure";
import { layoutGovernanceChart, type ChartBody, type ChartBox, type ChartLink, type ChartSchool } from "./governance-chart-layout";

const FILL: Record<ChartBox["variant"], string> = {
  members: "#dbe6f4",
  board: "#1d3c6e",
  committee: "#e8eef7",
  executive: "#f3f2f1",
  external: "#fff7e0",
  cluster: "#d9eee1",
  local: "#ffffff",
  school: "#f8f8f8",
};

function linkPath(link: ChartLink): string {
  const { from, to } = link;
  if (link.shape === "straight") return `M${from.x},${from.y} L${to.x},${to.y}`;
  if (link.shape === "spine") return `M${from.x},${from.y} V${to.y} H${to.x}`;
  const midY = link.turnY ?? from.y + (to.y - from.y) / 2;
  return `M${from.x},${from.y} V${midY} H${to.x} V${to.y}`;
}

function Box({ b }: { b: ChartBox }) {
  const dark = b.variant === "board";
  const textColour = dark ? "#ffffff" : "#0b0c0c";
  const label = b.advisory ? [...b.lines, "(advisory)"] : b.lines;
  return (
    <g>
      <rect
        x={b.x}
        y={b.y}
        width={b.width}
        height={b.height}
        rx={b.variant === "school" ? 2 : 6}
        fill={FILL[b.variant]}
        stroke={dark ? "#0b2f5c" : "#505a5f"}
        strokeWidth={b.advisory ? 1.5 : 1}
        strokeDasharray={b.advisory ? "6 4" : undefined}
      />
      {label.map((line, i) => (
        <text
          key={i}
          x={b.x + b.width / 2}
          y={b.y + 10 + 12 + i * 16}
          textAnchor="middle"
          fontSize={b.variant === "school" ? 12 : 13}
          fontWeight={b.variant === "school" || (b.advisory && i === label.length - 1) ? 400 : 700}
          fontStyle={b.advisory && i === label.length - 1 ? "italic" : undefined}
          fill={textColour}
        >
          {line}
        </text>
      ))}
      {b.caption ? (
        <text x={b.x + b.width / 2} y={b.y + 10 + 12 + label.length * 16} textAnchor="middle" fontSize={11} fill={dark ? "#dbe6f4" : "#505a5f"}>
          {b.caption}
        </text>
      ) : null}
    </g>
  );
}

export function GovernanceChart({ bodies, schools, title }: { bodies: ChartBody[]; schools: ChartSchool[]; title: string }) {
  const layout = layoutGovernanceChart(bodies, schools);
  return (
    <figure className="governance-chart">
      <svg
        xmlns="http://www.w3.org/2000/svg"
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width="100%"
        role="img"
        aria-labelledby="chart-title chart-desc"
        fontFamily="Calibri, Carlito, Arial, sans-serif"
      >
        <title id="chart-title">{title}</title>
        <desc id="chart-desc">{describeStructure(bodies, schools)}</desc>
        <g fill="none" stroke="#505a5f" strokeWidth={1.2}>
          {layout.links.map((l, i) => (
            <path key={i} d={linkPath(l)} />
          ))}
        </g>
        {layout.boxes.map((b) => (
          <Box key={b.id} b={b} />
        ))}
      </svg>
      <figcaption>
        <details>
          <summary>The structure in words</summary>
          <StructureList bodies={bodies} schools={schools} />
        </details>
      </figcaption>
    </figure>
  );
}

/** One sentence per tier, for the chart's description. */
export function describeStructure(bodies: ChartBody[], schools: ChartSchool[]): string {
  const columns = bodies.filter((b) => b.columnId === null);
  const names = (list: ChartBody[]) => list.map((b) => b.name + (b.mode === "advisory" ? " (advisory)" : "")).join(", ");
  const parts: string[] = [];
  for (const kind of ["members", "board", "committee", "executive", "external"] as const) {
    const list = columns.filter((b) => b.kind === kind);
    if (list.length > 0) parts.push(`${BODY_KIND_LABELS[kind]}: ${names(list)}.`);
  }
  const clusters = bodies.filter((b) => b.kind === "cluster" && b.columnId !== null);
  if (clusters.length > 0) parts.push(`${clusters.length} cluster${clusters.length === 1 ? "" : "s"}: ${names(clusters)}.`);
  const locals = bodies.filter((b) => b.kind === "local" && b.columnId !== null);
  if (locals.length > 0) {
    const advisory = locals.filter((l) => l.mode === "advisory").length;
    parts.push(`${locals.length} local board${locals.length === 1 ? "" : "s"}${advisory > 0 ? `, ${advisory} of them advisory` : ""}.`);
  }
  parts.push(`${schools.length} school${schools.length === 1 ? "" : "s"}.`);
  return parts.join(" ");
}

function StructureList({ bodies, schools }: { bodies: ChartBody[]; schools: ChartSchool[] }) {
  const columns = bodies.filter((b) => b.columnId === null && b.kind !== "cluster" && b.kind !== "local" && b.kind !== "school");
  const clusters = bodies.filter((b) => b.kind === "cluster" && b.columnId !== null);
  const locals = bodies.filter((b) => b.kind === "local" && b.columnId !== null);
  const schoolsOf = (localId: string) => schools.filter((s) => s.localBodyId === localId);
  const localsOf = (clusterId: string | null) =>
    locals.filter((l) => (clusterId ? l.parentId === clusterId || schoolsOf(l.id).some((s) => s.clusterBodyId === clusterId) : !l.parentId && !schoolsOf(l.id).some((s) => s.clusterBodyId)));
  const describe = (b: ChartBody) => `${b.name}${b.mode === "advisory" ? " (advisory)" : ""}${b.chairName ? `, chaired by ${b.chairName}` : ""}`;
  const LocalList = ({ list }: { list: ChartBody[] }) => (
    <ul>
      {list.map((l) => (
        <li key={l.id}>
          {describe(l)}
          {schoolsOf(l.id).length > 0 ? ` — ${schoolsOf(l.id).map((s) => s.name).join(", ")}` : ""}
        </li>
      ))}
    </ul>
  );
  return (
    <ul>
      {columns.map((b) => (
        <li key={b.id}>
          {BODY_KIND_LABELS[b.kind]}: {describe(b)}
        </li>
      ))}
      {clusters.map((c) => (
        <li key={c.id}>
          Cluster: {describe(c)}
          <LocalList list={localsOf(c.id)} />
        </li>
      ))}
      {localsOf(null).length > 0 ? (
        <li>
          Local boards outside any cluster
          <LocalList list={localsOf(null)} />
        </li>
      ) : null}
    </ul>
  );
}
