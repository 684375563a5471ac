/**
 * A version's checks page as Remix calls it: the findings with counts by severity and family; a fix
 * applied as an ordinary, audited row save; acknowledgements with a reason (clerk and CEO only),
 * carried into the next draft; refusals with a message that change nothing.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, cells, findingAcknowledgements, schemeVersions, strategyProfiles } from "../../db/schema";
import { DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import type { Role } from "~/domain/roles";
import type { FindingView } from "~/domain/rules/finding-view";
import { COMMAND_LINE } from "~/models/audit.server";
import { approveVersion, loadScheme, startDraft } from "~/models/scheme.server";
import { validateVersion } from "~/models/validation.server";
import * as checksRoute from "~/routes/trusts.$slug.versions.$number.checks";
import { freshDatabase } from "../support/database";
import { call, formPost, getRequest, sessionCookie, type Answer } from "../support/requests";

type ChecksPage = Awaited<ReturnType<typeof checksRoute.loader>>["data"];

let handle: DatabaseHandle;
let demo: DemoTrust;
const cookies = {} as Record<Role, string>;
/** The demo's draft and the approved version it was started from, by the numbers their pages use. */
let draftNumber: string;
let approvedNumber: string;

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  for (const person of DEMO_USERS) cookies[person.role] = await sessionCookie(person.email, person.password);
  const draft = (await loadScheme(handle.db, demo.trust.id, demo.draftVersionId)).version;
  const approved = (await loadScheme(handle.db, demo.trust.id, demo.approvedVersionId)).version;
  expect([draft.status, approved.status]).toEqual(["draft", "approved"]);
  draftNumber = String(draft.number);
  approvedNumber = String(approved.number);
});
afterAll(() => handle?.close());

/** The demo draft's findings: the two duplicated monitorings, the schools' standing, and the joiners outside every cluster and coming into transition. */
const DRAFT_FINDINGS = ["CO-13", "CO-13", "EA-02", "EA-06", "SOD-05", "EA-12", "EA-12", "EA-12"];
const params = (number = draftNumber) => ({ slug: demo.trust.slug, number });
const url = (number = draftNumber) => `/trusts/${demo.trust.slug}/versions/${number}/checks`;

async function checks(role: Role = "trustee", number = draftNumber): Promise<ChecksPage> {
  const answer = await call(checksRoute.loader, getRequest(url(number), cookies[role]), params(number));
  expect(answer.status).toBe(200);
  return answer.data as ChecksPage;
}

const post = (fields: Record<string, string>, role: Role, number = draftNumber) =>
  call(checksRoute.action, formPost(url(number), fields, { cookie: cookies[role] }), params(number));

const messageOf = (answer: Answer) => (answer.data as { result?: { error: Record<string, string[]> } }).result?.error[""]?.[0];

/** A D for the School advisory board on the budget row, as an import of old data could leave it. */
async function budgetDecidedLocally(): Promise<void> {
  const scheme = await loadScheme(handle.db, demo.trust.id, demo.draftVersionId);
  const budget = scheme.rows.find((r) => r.catalogueKey === "STAT-F1")!;
  await handle.db
    .update(cells)
    .set({ code: "D" })
    .where(
      and(eq(cells.versionId, demo.draftVersionId), eq(cells.responsibilityId, budget.id), eq(cells.bodyId, demo.bodies["School advisory board"]!.id)),
    );
}

describe("the checks of a version", () => {
  it("lists the demo draft's findings with counts by severity and family", async () => {
    const page = await checks();
    expect(page.findings.map((f) => f.ruleId)).toEqual(DRAFT_FINDINGS);
    expect(page.counts.warning.structure).toBe(3);
    expect(page.counts.warning["earned-autonomy"]).toBe(2);
    expect(page.counts.info["earned-autonomy"]).toBe(3);
    expect(Object.values(page.counts.error).every((n) => n === 0)).toBe(true);
    expect(page.cluster).toEqual({ number: 2, name: "Consistent pedagogy and school improvement" });
    expect(page.findings[0]!.areas).toEqual([7]);
    expect(page.findings[0]!.cells.length).toBeGreaterThan(0);
    // The two schools joining have no cluster, while the scheme gives the clusters a part.
    const outside = page.findings.find((f) => f.ruleId === "SOD-05")!;
    expect(outside.severity).toBe("warning");
    expect(outside.message).toContain("Bempton Cliffs Academy and Flamborough Head Primary School belong to no cluster");
    expect(outside.family).toBe("structure");
  });

  it("offers fixes to editors of a draft and acknowledgements to the clerk and CEO only", async () => {
    expect(await checks("trustee")).toMatchObject({ canFix: true, canAcknowledge: false });
    expect(await checks("clerk")).toMatchObject({ canFix: true, canAcknowledge: true });
    expect(await checks("viewer")).toMatchObject({ canFix: false, canAcknowledge: false });
    expect(await checks("ceo", approvedNumber)).toMatchObject({ canFix: false, canAcknowledge: true });
  });

  it("answers 404 for a version the trust does not have", async () => {
    const answer = await call(checksRoute.loader, getRequest(url("9"), cookies.viewer), params("9"));
    expect(answer.status).toBe(404);
  });
});

describe("applying a fix", () => {
  it("clears a misplaced budget decision with the fixes offered, each an audited row save", async () => {
    await budgetDecidedLocally();
    const planted = await checks();
    const errors = planted.findings.filter((f) => f.severity === "error");
    expect(errors.map((f) => f.ruleId).sort()).toEqual(["CO-05", "CO-12", "EA-02", "ST-12"]);
    const auditBefore = (await handle.db.select().from(auditLog).where(eq(auditLog.entity, "cell"))).length;

    let remaining: FindingView[] = errors;
    while (remaining.length > 0) {
      const finding = remaining[0]!;
      expect(finding.fix).not.toBeNull();
      const answer = await post({ intent: "fix", key: finding.key }, "trustee");
      expect(answer.status).toBe(200);
      expect(answer.data).toEqual({ done: expect.stringMatching(/^Applied the fix/) });
      remaining = (await checks()).findings.filter((f) => f.severity === "error");
    }
    expect((await checks()).findings.map((f) => f.ruleId)).toEqual(DRAFT_FINDINGS);
    const auditAfter = await handle.db.select().from(auditLog).where(eq(auditLog.entity, "cell"));
    expect(auditAfter.length).toBeGreaterThan(auditBefore);
    expect(auditAfter.at(-1)!.actor).toBe("Margaret Kettlewell");
  });

  it("refuses a finding that no longer stands, saying so, and changes nothing", async () => {
    const answer = await post({ intent: "fix", key: "ST-12:0123456789abcdef01234567" }, "trustee");
    expect(answer.status).toBe(400);
    expect(messageOf(answer)).toMatch(/^That finding no longer applies/);
  });

  it("refuses a finding with no fix, a viewer, and a key that is not one", async () => {
    const [monitoring] = (await checks()).findings;
    // Under a self-improving network, which tier monitors is the trust's own choice: no fix is offered.
    await handle.db.update(strategyProfiles).set({ improvementModel: "self-improving-network" }).where(eq(strategyProfiles.trustId, demo.trust.id));
    const noFix = await post({ intent: "fix", key: monitoring!.key }, "trustee");
    await handle.db.update(strategyProfiles).set({ improvementModel: "cluster-based" }).where(eq(strategyProfiles.trustId, demo.trust.id));
    expect(noFix.status).toBe(400);
    expect(messageOf(noFix)).toMatch(/no fix to apply/);
    const viewer = await post({ intent: "fix", key: monitoring!.key }, "viewer");
    expect(viewer.status).toBe(403);
    const garbage = await post({ intent: "fix", key: "<script>" }, "trustee");
    expect(garbage.status).toBe(400);
    expect(messageOf(garbage)).toBe("That finding could not be read");
  });
});

describe("acknowledging a finding", () => {
  it("needs a reason, and only the clerk or CEO may give one", async () => {
    const [finding] = (await checks()).findings;
    const empty = await post({ intent: "acknowledge", key: finding!.key, reason: "   " }, "clerk");
    expect(empty.status).toBe(400);
    expect(messageOf(empty)).toBe("Give the trust’s reason for departing from this");
    const trustee = await post({ intent: "acknowledge", key: finding!.key, reason: "Because" }, "trustee");
    expect(trustee.status).toBe(403);
    expect(await handle.db.select().from(findingAcknowledgements)).toEqual([]);
  });

  it("keeps an acknowledged finding listed and marked with its reason, until withdrawn", async () => {
    const [finding] = (await checks()).findings;
    const reason = "Cluster boards and the committee both monitor CPD while the new model beds in.";
    expect((await post({ intent: "acknowledge", key: finding!.key, reason }, "clerk")).status).toBe(200);
    let page = await checks();
    expect(page.findings.find((f) => f.key === finding!.key)!.acknowledged).toEqual({ reason });
    expect(page.counts.acknowledged).toBe(1);
    expect(page.findings).toHaveLength(DRAFT_FINDINGS.length);

    expect((await post({ intent: "withdraw", key: finding!.key }, "ceo")).status).toBe(200);
    page = await checks();
    expect(page.findings.find((f) => f.key === finding!.key)!.acknowledged).toBeNull();
    const again = await post({ intent: "withdraw", key: finding!.key }, "ceo");
    expect(again.status).toBe(400);
    expect(messageOf(again)).toMatch(/not acknowledged/);
  });

  it("carries an acknowledgement into the next draft", async () => {
    const { findings } = await validateVersion(handle.db, demo.trust.id, demo.draftVersionId);
    const reason = "A knowing departure, minuted by the board.";
    expect((await post({ intent: "acknowledge", key: findings[1]!.key, reason }, "clerk")).status).toBe(200);
    const [draft] = await handle.db.select().from(schemeVersions).where(eq(schemeVersions.id, demo.draftVersionId));
    await approveVersion(handle.db, COMMAND_LINE, {
      trustId: demo.trust.id,
      versionId: demo.draftVersionId,
      expectedVersion: draft!.version,
      approvedByBodyId: demo.bodies["Board of trustees"]!.id,
      approvedOn: "2026-11-20",
      minuteRef: "TB/26/14",
      reviewDueOn: "2027-11-20",
    });
    const next = await startDraft(handle.db, COMMAND_LINE, { trustId: demo.trust.id, from: "latest-approved" });
    const carried = await validateVersion(handle.db, demo.trust.id, next.id);
    expect(carried.findings.find((f) => f.key === findings[1]!.key)!.acknowledged).toEqual({ reason });
  });
});
