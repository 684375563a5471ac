/**
 * Every school's pack of a version, as one ZIP made in the background (ADR 012). Anyone who may export
 * starts it here (a POST); the page shows the latest export of the version, found again by the trust
 * and version whenever anyone comes back: its progress while it runs (polled every second with
 * JavaScript, refreshed by the page itself without), the ZIP to download when it is done, or why it
 * failed. One export per version runs at a time.
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect } from "react";
import { requireTrustAccess } from "~/auth.server";
import { JobProgress } from "~/components/job-progress";
import { getDb } from "~/db.server";
import { RuleError } from "~/domain/errors";
import { SCHOOL_PACKS_JOB, startSchoolPacksExport, type SchoolPacksResult } from "~/export/school-packs-job.server";
import { readForm } from "~/forms.server";
import { wakeJobRunner } from "~/job-runner.server";
import { isStalled, KEEP_FINISHED_DAYS, latestJob } from "~/models/jobs.server";
import { findVersionByParam } from "~/models/scheme.server";
import styles from "~/styles/school-packs.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [
  { title: page ? `School packs · Version ${page.version.number} · Scheme of delegation` : "School packs · Scheme of delegation" },
];

/** How often a page with JavaScript asks how far the export has got. */
const POLL_MS = 1000;

function inEngland(at: Date): string {
  return at.toLocaleString("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/London" });
}

function kilobytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug, "export");
  const db = await getDb();
  const version = await findVersionByParam(db, trust.id, params.number);
  if (!version) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  const job = await latestJob(db, trust.id, SCHOOL_PACKS_JOB, version.id);
  const result = job?.status === "done" ? (job.result as SchoolPacksResult) : null;
  return {
    slug: trust.slug,
    version: { number: version.number, status: version.status },
    keptDays: KEEP_FINISHED_DAYS,
    job: job && {
      status: job.status as "queued" | "running" | "done" | "failed",
      progress: job.progress,
      total: job.total,
      message: job.message,
      startedBy: job.startedBy,
      startedAt: inEngland(job.createdAt),
      finishedAt: job.status === "done" || job.status === "failed" ? inEngland(job.updatedAt) : null,
      stalled: isStalled(job),
      download: result && { packs: result.packs, size: kilobytes(result.bytes), fileName: result.fileName },
      // Only a draft changes after its packs are made: an approved version's cells are frozen.
      outdated: result !== null && version.status === "draft" && result.stamp !== trust.matrixStamp,
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "export");
  const db = await getDb();
  const version = await findVersionByParam(db, trust.id, params.number);
  if (!version) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  await readForm(request);
  try {
    await startSchoolPacksExport(db, trust.id, version, user.id);
  } catch (error) {
    if (error instanceof RuleError) return data({ refused: error.message }, { status: 409 });
    throw error;
  }
  wakeJobRunner();
  return redirect(`/trusts/${trust.slug}/versions/${version.number}/packs`, 303);
}

type Page = Awaited<ReturnType<typeof loader>>;

export default function SchoolPacks() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const poll = useFetcher<typeof loader>();
  // The latest of what the page loaded and what the poll brought back.
  const page: Page = poll.data ?? loaded;
  const { slug, version, job, keptDays } = page;
  const active = job?.status === "queued" || job?.status === "running";
  const here = `/trusts/${slug}/versions/${version.number}/packs`;

  useEffect(() => {
    if (!active || poll.state !== "idle") return;
    const timer = setTimeout(() => poll.load(here), POLL_MS);
    return () => clearTimeout(timer);
  }, [active, poll, here, page]);

  const starting = navigation.state !== "idle" && navigation.formAction === here;
  return (
    <>
      {active ? (
        <noscript>
          {/* Without JavaScript the page reloads itself every few seconds while the packs are made. */}
          <meta httpEquiv="refresh" content="3" />
        </noscript>
      ) : null}
      <p>
        <Link to={`/trusts/${slug}/versions/${version.number}`}>
          Version {version.number} ({version.status})
        </Link>
      </p>
      <h1>School packs of version {version.number}</h1>
      <p className="lede">
        One Word document per school: the scheme as it applies to the school (the trust&apos;s scheme, then its autonomy tier&apos;s
        variant, then its own variations), for its local board. All of them are made together as one ZIP file, in the background: you can
        leave this page and come back to it.
      </p>
      {version.status === "draft" ? (
        <p className="notice">Version {version.number} is a draft: every page of every pack says so.</p>
      ) : null}
      {actionData?.refused ? (
        <div className="form-error" role="alert">
          <p>{actionData.refused}</p>
        </div>
      ) : null}
      <ExportState job={job} zip={`${here}.zip`} here={here} keptDays={keptDays} />
      {active ? null : (
        <Form method="post" action={here} className="actions-row">
          <button type="submit" disabled={starting} className={job?.status === "done" && !job.outdated ? "secondary" : undefined}>
            {job ? "Make the packs again" : "Make every school's pack"}
          </button>
        </Form>
      )}
    </>
  );
}

function ExportState({ job, zip, here, keptDays }: { job: Page["job"]; zip: string; here: string; keptDays: number }) {
  if (!job) return <p>The packs of this version have not been made yet.</p>;
  const started = `Started by ${job.startedBy ?? "someone no longer in the trust"} on ${job.startedAt}.`;
  if (job.status === "queued" || job.status === "running") {
    return (
      <section className="school-packs__progress" aria-labelledby="progress-heading">
        <h2 id="progress-heading">Making the packs</h2>
        <JobProgress label="Packs made" done={job.progress} total={job.total} noun={["pack", "packs"]} waiting={job.status === "queued" || job.total === 0} />
        <p>{started}</p>
        {job.message ? <p>{job.message}</p> : null}
        {job.stalled ? <p>The server making the packs has stopped. Another carries on from the last pack made within a few seconds.</p> : null}
        <noscript>
          <p>
            <a href={here}>See how far it has got</a>
          </p>
        </noscript>
      </section>
    );
  }
  if (job.status === "failed") {
    return (
      <section aria-labelledby="failed-heading">
        <h2 id="failed-heading">The packs could not be made</h2>
        <div className="form-error" role="alert">
          <p>{job.message ?? "The export stopped without saying why."}</p>
        </div>
        <p>
          {started} It stopped on {job.finishedAt}.
        </p>
      </section>
    );
  }
  return (
    <section className="school-packs__done" aria-labelledby="done-heading">
      <h2 id="done-heading">The packs are ready</h2>
      <JobProgress label="Packs made" done={job.progress} total={job.total} noun={["pack", "packs"]} waiting={false} />
      {job.outdated ? <p className="notice">The draft has changed since these packs were made: make them again to include the changes.</p> : null}
      {job.download ? (
        <p>
          <a href={zip} download={job.download.fileName} className="button">
            Download the packs
          </a>{" "}
          (ZIP, {job.download.packs} {job.download.packs === 1 ? "pack" : "packs"}, {job.download.size})
        </p>
      ) : null}
      <p>
        {started} Finished on {job.finishedAt}. The ZIP is kept for {keptDays} days, or until the packs are made again.
      </p>
    </section>
  );
}
