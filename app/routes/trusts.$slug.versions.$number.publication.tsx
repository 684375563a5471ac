/**
 * Publishing a version (the clerk): the forms on a version's page post here. Success goes back to
 * the version's page; a refusal (a draft or superseded version, or what is published changed since
 * the page was opened) is shown here with the publication as it now stands, and nothing changes.
 */
import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { FormError } from "~/components/forms";
import { PublicationPanel } from "~/components/publication-panel";
import { getDb } from "~/db.server";
import { can } from "~/domain/roles";
import type { VersionStatus } from "~/domain/versions";
import { invalid, parseForm, refusal } from "~/forms.server";
import { findPublication, publishVersion, withdrawPublication } from "~/models/publication.server";
import { findVersionByParam } from "~/models/scheme.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Publication of version ${data.version.number} · Scheme of delegation` : "Publication · Scheme of delegation" },
];

/** After any answer, the publication is shown as it now stands: a refusal often means it changed. */
export const shouldRevalidate = () => true;

const PublicationSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("publish"),
      // What the clerk saw published ("none", or that version's id): the publish is refused if it changed meanwhile.
      published: z.union([z.literal("none"), z.uuid()], { error: "The form was incomplete; open the version again" }),
    }),
    z.object({ intent: z.literal("withdraw") }),
  ],
  { error: "Choose whether to publish the version or stop publishing it" },
);

async function versionOf(trustId: string, param: string | undefined) {
  const version = await findVersionByParam(await getDb(), trustId, param);
  if (!version) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  return version;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, role } = await requireTrustAccess(request, params.slug);
  const version = await versionOf(trust.id, params.number);
  return {
    slug: trust.slug,
    version: { id: version.id, number: version.number, status: version.status as VersionStatus },
    published: await findPublication(await getDb(), trust.id),
    canPublish: can(role, "publish"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "publish");
  const version = await versionOf(trust.id, params.number);
  const submission = await parseForm(request, PublicationSchema);
  if (submission.status !== "success") return invalid(submission);
  const db = await getDb();
  const back = `/trusts/${trust.slug}/versions/${version.number}`;
  try {
    if (submission.value.intent === "publish") {
      const expected = submission.value.published;
      await publishVersion(db, actorOf(user), { trustId: trust.id, versionId: version.id, expectedVersionId: expected === "none" ? null : expected });
      return redirect(`${back}?published=1`);
    }
    await withdrawPublication(db, actorOf(user), { trustId: trust.id, expectedVersionId: version.id });
    return redirect(`${back}?withdrawn=1`);
  } catch (error) {
    return refusal(submission, error);
  }
}

function messagesOf(result: SubmissionResult<string[]> | undefined): string[] {
  return Object.values(result?.error ?? {}).flatMap((messages) => messages ?? []);
}

export default function VersionPublication() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to={`/trusts/${page.slug}/versions/${page.version.number}`}>Back to version {page.version.number}</Link>
      </p>
      <h1>Publication of version {page.version.number}</h1>
      <FormError id="publication-error" errors={messagesOf(actionData?.result)} />
      <PublicationPanel slug={page.slug} version={page.version} published={page.published} canPublish={page.canPublish} notice={null} />
    </>
  );
}
