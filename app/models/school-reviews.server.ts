/** Performance reviews of schools: recorded by the clerk or CEO, read by the tier recommendation and the calendar. */
import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { schoolReviews } from "../../db/schema";
import { NotFoundError } from "../domain/errors";
import type { SchoolReview } from "../domain/autonomy-context";
import type { ReviewTravel, SchoolReviewInput } from "../domain/school-review";
import { recordAudit, type Actor } from "./audit.server";
import { getSchool } from "./structure.server";

const columns = {
  id: schoolReviews.id,
  schoolId: schoolReviews.schoolId,
  reviewedOn: schoolReviews.reviewedOn,
  travel: schoolReviews.travel,
  summary: schoolReviews.summary,
};

/** The trust's reviews (or one school's), latest first. */
export async function listSchoolReviews(db: Database, trustId: string, schoolId?: string): Promise<SchoolReview[]> {
  const rows = await db
    .select(columns)
    .from(schoolReviews)
    .where(and(eq(schoolReviews.trustId, trustId), schoolId ? eq(schoolReviews.schoolId, schoolId) : undefined))
    .orderBy(desc(schoolReviews.reviewedOn), desc(schoolReviews.createdAt));
  return rows.map((r) => ({ ...r, travel: r.travel as ReviewTravel }));
}

export async function recordSchoolReview(db: Database, actor: Actor, input: SchoolReviewInput & { trustId: string; schoolId: string }): Promise<string> {
  return db.transaction(async (tx) => {
    const school = await getSchool(tx, input.trustId, input.schoolId);
    if (!school) throw new NotFoundError("That school");
    const [row] = await tx
      .insert(schoolReviews)
      .values({
        trustId: input.trustId,
        schoolId: input.schoolId,
        reviewedOn: input.reviewedOn,
        travel: input.travel,
        summary: input.summary || null,
        recordedBy: actor.userId,
      })
      .returning({ id: schoolReviews.id });
    await recordAudit(tx, actor, {
      trustId: input.trustId,
      action: "create",
      entity: "school-review",
      entityId: row!.id,
      summary: `Reviewed ${school.name} on ${input.reviewedOn}: ${input.travel}`,
      after: input,
    });
    return row!.id;
  });
}
