import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { GovernanceChart, describeStructure } from "~/components/governance-chart";
import { layoutGovernanceChart, wrapText, type ChartBody, type ChartSchool } from "~/components/governance-chart-layout";

function body(id: string, kind: ChartBody["kind"], extra: Partial<ChartBody> = {}): ChartBody {
  return { id, kind, name: id, mode: "decision-making", purpose: "standing", columnId: null, parentId: null, chairName: null, ...extra };
}

function trust(clusters: number, schoolsPerCluster: number) {
  const bodies: ChartBody[] = [
    body("Members", "members"),
    body("Board", "board", { chairName: "A Chair" }),
    body("Finance", "committee", { parentId: "Board" }),
    body("Audit & Risk", "committee", { parentId: "Board" }),
    body("CEO", "executive"),
    body("Diocese", "external"),
    body("Cluster column", "cluster"),
    body("Local column", "local", { mode: "advisory" }),
    body("Headteacher", "school"),
  ];
  const schools: ChartSchool[] = [];
  for (let c = 0; c < clusters; c++) {
    bodies.push(body(`Cluster ${c}`, "cluster", { columnId: "Cluster column" }));
    for (let s = 0; s < schoolsPerCluster; s++) {
      const local = `Local ${c}.${s}`;
      bodies.push(body(local, "local", { columnId: "Local column", parentId: `Cluster ${c}`, mode: s % 2 ? "advisory" : "decision-making" }));
      schools.push({ id: `S${c}.${s}`, name: `School ${c}.${s}`, clusterBodyId: `Cluster ${c}`, localBodyId: local });
    }
  }
  schools.push({ id: "loose", name: "Unattached School", clusterBodyId: null, localBodyId: null });
  return { bodies, schools };
}

describe("the governance chart", () => {
  it("draws every body and school once, with no two boxes overlapping", () => {
    const { bodies, schools } = trust(3, 4);
    const layout = layoutGovernanceChart(bodies, schools);
    const ids = layout.boxes.map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of schools) expect(ids).toContain(`school-${s.id}`);
    for (const b of bodies.filter((b) => !["Cluster column", "Local column", "Headteacher"].includes(b.id))) expect(ids).toContain(b.id);
    for (const a of layout.boxes) {
      for (const b of layout.boxes) {
        if (a === b) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
      }
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.x + a.width).toBeLessThanOrEqual(layout.width);
      expect(a.y + a.height).toBeLessThanOrEqual(layout.height);
    }
  });

  it("grows downwards rather than sideways as schools are added", () => {
    const small = layoutGovernanceChart(...(Object.values(trust(3, 2)) as [ChartBody[], ChartSchool[]]));
    const large = layoutGovernanceChart(...(Object.values(trust(3, 30)) as [ChartBody[], ChartSchool[]]));
    expect(large.width).toBe(small.width);
    expect(large.height).toBeGreaterThan(small.height * 5);
  });

  it("marks advisory bodies in the drawing and in words, not by colour alone", () => {
    const { bodies, schools } = trust(1, 2);
    const layout = layoutGovernanceChart(bodies, schools);
    expect(layout.boxes.find((b) => b.id === "Local 0.1")!.advisory).toBe(true);
    expect(layout.boxes.find((b) => b.id === "Local 0.0")!.advisory).toBe(false);
    const svg = renderToStaticMarkup(<GovernanceChart bodies={bodies} schools={schools} title="Structure" />);
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg).toContain("(advisory)");
    expect(describeStructure(bodies, schools)).toContain("2 local boards, 1 of them advisory");
  });

  it("escapes names as text", () => {
    const { bodies, schools } = trust(1, 1);
    bodies[1]!.name = `<script>alert("x")</script> & Co`;
    const svg = renderToStaticMarkup(<GovernanceChart bodies={bodies} schools={schools} title="Structure" />);
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;");
  });

  it("wraps long names by words to fit a box", () => {
    expect(wrapText("Middleham Moor Church of England Primary School", 20)).toEqual(["Middleham Moor", "Church of England", "Primary School"]);
    expect(wrapText("Supercalifragilisticexpialidocious", 10)).toEqual(["Supercali…"]);
  });
});
