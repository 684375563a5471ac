import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AreaChart, describeAreas, ResponsibilityChart } from "~/components/centralisation-chart";
import { centralisationProfile } from "~/domain/centralisation-profile";
import { catalogueRow, column, scheme } from "./rules/scheme-builder";

const sample = scheme({
  columns: [column("Board", "board"), column("CEO", "executive"), column("Head", "school")],
  rows: [catalogueRow("SEED-14"), catalogueRow("SEED-06", { title: 'Curriculum <script>alert("x")</script>' }), catalogueRow("SEED-10")],
  codes: { "SEED-14": { CEO: "D" }, "SEED-06": { Head: "D" } },
});
const cluster = { number: 2, name: "Consistent pedagogy and school improvement" };

function idsOf(html: string): string[] {
  return [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!);
}

describe("the centralisation charts", () => {
  it("are described images whose title and description exist, with no style attributes", () => {
    const profile = centralisationProfile(sample, 2);
    const html = renderToStaticMarkup(
      <>
        <AreaChart areas={profile.areas} cluster={cluster} versionNumber={3} />
        <ResponsibilityChart rows={profile.surveyed} cluster={cluster} versionNumber={3} />
      </>,
    );
    const labelled = [...html.matchAll(/role="img" aria-labelledby="([^"]+)"/g)].map((m) => m[1]!);
    expect(labelled).toHaveLength(2);
    const ids = idsOf(html);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of labelled.flatMap((l) => l.split(" "))) expect(ids).toContain(id);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).toContain("Centralisation by area, version 3");
  });

  it("give the same figures as a table, with the cluster's column and marker only when there is a cluster", () => {
    const withCluster = renderToStaticMarkup(<AreaChart areas={centralisationProfile(sample, 2).areas} cluster={cluster} versionNumber={1} />);
    expect(withCluster.match(/<th scope="row">/g)).toHaveLength(12);
    expect(withCluster).toContain("Cluster 2</th>");
    expect(withCluster).toContain("Expected in cluster 2");

    const without = renderToStaticMarkup(<AreaChart areas={centralisationProfile(sample, null).areas} cluster={null} versionNumber={1} />);
    expect(without).not.toContain("Cluster 2");
    expect(without).not.toContain("Expected in cluster");
    expect(without).toContain("not surveyed");
  });

  it("shows a responsibility with no D as such, and the trust's own text escaped", () => {
    const profile = centralisationProfile(sample, null);
    const html = renderToStaticMarkup(<ResponsibilityChart rows={profile.surveyed} cluster={null} versionNumber={1} />);
    expect(html).toContain("no D recorded");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
  });

  it("names the most and least centralised areas in the description", () => {
    const text = describeAreas(centralisationProfile(sample, null).areas, null);
    expect(text).toContain("Most centralised: Shared services and back office functions, 8.");
    expect(text).toContain("Least centralised: Curriculum and pedagogy, 0.");
    expect(text).not.toContain("cluster");
  });
});
