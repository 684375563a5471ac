import { describe, expect, it } from "vitest";
import { matrixTableHtml } from "~/components/matrix-html";
import type { MatrixView } from "~/domain/matrix-view";

const view: MatrixView = {
  columns: [
    { id: "b", kind: "board", name: `Board "A" & <co>`, shortName: null, mode: "decision-making", position: 1 },
    { id: "l", kind: "local", name: "Local board", shortName: "LGB", mode: "advisory", position: 2 },
  ],
  groups: [
    {
      area: 4,
      name: "Pupil policies and pastoral system",
      rows: [
        {
          id: "r1",
          ref: "4.1",
          title: `<script>alert("x")</script> & 'quotes' ŵ 😀`,
          statutoryRule: "ST-21",
          revision: 3,
          codes: ["D", "M"],
          excluded: [],
          noDecision: [1],
          decisionRule: "Only the board may decide.",
          exclusionRule: null,
          centralisation: 10,
        },
        {
          id: "r2",
          ref: "4.2",
          title: "Complaints panel",
          statutoryRule: null,
          revision: 1,
          codes: [null, "C"],
          excluded: [1],
          noDecision: [1],
          decisionRule: null,
          exclusionRule: "Local board cannot take part.",
          centralisation: null,
        },
      ],
    },
  ],
  totalRows: 2,
};

describe("the matrix table as HTML", () => {
  const html = matrixTableHtml(view, "/trusts/t/versions/2/rows");

  it("escapes every text, so a title can never become markup", () => {
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39; ŵ 😀");
    expect(html).toContain('title="Board &quot;A&quot; &amp; &lt;co&gt; (Trust board)"');
  });

  it("writes each cell with its code, closed cells as —, and the row's index", () => {
    expect(html).toContain('<td class="c cD" tabindex="0">D</td><td class="c cM">M</td><td class="matrix__index">10</td>');
    expect(html).toContain('<td class="c"></td><td class="c x" aria-disabled="true">—</td><td class="matrix__index">–</td>');
  });

  it("links each row to its edit form only when the version can be edited", () => {
    expect(html).toContain('<a href="/trusts/t/versions/2/rows/r1" class="matrix__edit">');
    expect(matrixTableHtml(view, null)).not.toContain("matrix__edit");
  });

  it("labels advisory columns and groups rows by area", () => {
    expect(html).toContain('LGB<span class="matrix__advisory">advisory</span>');
    expect(html).toContain('<th scope="rowgroup" colspan="4">4. Pupil policies and pastoral system</th>');
  });
});
