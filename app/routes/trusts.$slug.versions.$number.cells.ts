/**
 * Saving one cell of the matrix from the editor, answered as JSON: the row's new revision, or
 * (409) the row as someone else saved it, or (400) why the code is not allowed there. With a tier or
 * a school named, the cell is what that tier's or school's scheme shows, saved as its variant.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { LARGEST_VERSION } from "~/domain/record-versions";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { getDb } from "~/db.server";
import { TIERS } from "~/domain/autonomy";
import { DECISION_CODES } from "~/domain/codes";
import { NotFoundError, RuleError } from "~/domain/errors";
import { versionNumberFromParam } from "~/domain/versions";
import { readForm } from "~/forms.server";
import { saveRow } from "~/models/row-save.server";
import { StaleRowError } from "~/models/scheme.server";
import { saveVariant, StaleVariantError, type RowVariants } from "~/models/variant-save.server";

const CellSchema = z.object({
  rowId: z.uuid(),
  columnId: z.uuid(),
  code: z.union([z.enum(DECISION_CODES), z.literal("")]),
  revision: z.coerce.number().int().min(0).max(LARGEST_VERSION),
  tier: z.union([z.enum(TIERS), z.literal("")]).optional(),
  school: z.union([z.uuid(), z.literal("")]).optional(),
});

export type CellSaveAnswer =
  | { status: "saved"; rowId: string; revision: number }
  | { status: "conflict"; rowId: string; revision: number; codes: Record<string, string>; variants?: RowVariants; message: string }
  | { status: "refused"; message: string };

function answer(body: CellSaveAnswer, status = 200) {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}

export async function loader() {
  throw new Response("Not found", { status: 404 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "editDraft");
  const versionNumber = versionNumberFromParam(params.number);
  if (versionNumber === null) throw new Response("Not found", { status: 404 });
  const parsed = CellSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return answer({ status: "refused", message: "That change could not be read. Nothing was saved." }, 400);
  const { rowId, columnId, code, revision, tier, school } = parsed.data;
  const edit = { trustId: trust.id, versionNumber, rowId, codes: { [columnId]: code === "" ? null : code }, expectedRevision: revision };
  try {
    const db = await getDb();
    const saved = school
      ? await saveVariant(db, actorOf(user), { ...edit, scope: { schoolId: school } })
      : tier
        ? await saveVariant(db, actorOf(user), { ...edit, scope: { tier } })
        : await saveRow(db, actorOf(user), edit);
    return answer({ status: "saved", rowId, revision: saved.revision });
  } catch (error) {
    if (error instanceof StaleRowError) {
      const variants = error instanceof StaleVariantError ? { variants: error.variants } : {};
      return answer({ status: "conflict", rowId, revision: error.revision, codes: error.codes, ...variants, message: error.message }, 409);
    }
    if (error instanceof RuleError || error instanceof NotFoundError) return answer({ status: "refused", message: error.message }, 400);
    throw error;
  }
}
