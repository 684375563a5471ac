/**
 * A version's publication, on its page: what the trust publishes, and for the clerk the forms to
 * publish an approved version (saying first what becomes public) or to stop publishing it.
 */
import { Form, Link } from "@remix-run/react";
import { publicPath } from "~/domain/public-scheme";
import type { VersionStatus } from "~/domain/versions";
import type { Publication } from "~/models/publication.server";

export type PublicationNotice = "published" | "withdrawn";

export interface PublicationPanelProps {
  slug: string;
  version: { id: string; number: number; status: VersionStatus };
  published: Publication | null;
  canPublish: boolean;
  notice: PublicationNotice | null;
}

/** The notice asked for by the address a publication form sends the clerk back to. */
export function publicationNotice(search: URLSearchParams): PublicationNotice | null {
  return search.has("published") ? "published" : search.has("withdrawn") ? "withdrawn" : null;
}

function when(iso: string): string {
  return new Date(iso).toLocaleString("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/London" });
}

export function PublicationPanel({ slug, version, published, canPublish, notice }: PublicationPanelProps) {
  const address = publicPath(slug);
  const isThis = published?.versionId === version.id;
  const action = `/trusts/${slug}/versions/${version.number}/publication`;
  return (
    <section className="publication" aria-labelledby="publication-heading">
      <h2 id="publication-heading">Publication</h2>
      {notice === "published" && isThis ? (
        <p className="notice notice--success" role="status">
          Version {version.number} is published.
        </p>
      ) : null}
      {notice === "withdrawn" && !published ? (
        <p className="notice notice--success" role="status">
          The scheme is no longer published: its public page now answers “not found”.
        </p>
      ) : null}
      {isThis ? (
        <p>
          This version is published at <Link to={address}>{address}</Link> for anyone to read without signing in, since{" "}
          {when(published!.publishedAt)}
          {published!.publishedBy ? ` (published by ${published!.publishedBy})` : ""}.
        </p>
      ) : published ? (
        <p>
          Version {published.number} is the trust's published version, at <Link to={address}>{address}</Link>.
        </p>
      ) : (
        <p>Nothing of this trust is published.</p>
      )}
      {canPublish && version.status === "approved" && !isThis ? (
        <Form method="post" action={action} className="publication__form">
          <p>Publishing this version puts it on a web page anyone can read without signing in, at {address}, and the trust's website can link to it. It shows:</p>
          <ul>
            <li>the trust's name, the version's number and its approval: the body, the date, the minute and the next review;</li>
            <li>the governance structure: each body, whether it decides or advises, its chair's full name and the schools it covers;</li>
            <li>the key to the decision codes and the whole matrix of this version;</li>
            <li>
              this version's Word document, to download, which also holds the trust's vision and strategy, the earned-autonomy framework with
              the tier each school is in, the tier and school variations, and the findings of the checks the board accepted, with their reasons.
            </li>
          </ul>
          <p>
            Nothing else of the trust becomes public: other versions, the draft, the schools' records and the people stay behind sign-in.
            {published ? ` Version ${published.number} is published now; publishing version ${version.number} replaces it.` : ""}
          </p>
          <input type="hidden" name="intent" value="publish" />
          <input type="hidden" name="published" value={published?.versionId ?? "none"} />
          <button type="submit">Publish this version</button>
        </Form>
      ) : null}
      {isThis && version.status === "superseded" ? (
        <p className="notice">A later version has been approved since this one: publish it, from its own page, to replace this one.</p>
      ) : null}
      {canPublish && isThis ? (
        <Form method="post" action={action} className="publication__form">
          <p>Stopping publication takes the page down: its address answers “not found” until a version is published again.</p>
          <input type="hidden" name="intent" value="withdraw" />
          <button type="submit" className="secondary">
            Stop publishing
          </button>
        </Form>
      ) : null}
      {canPublish && version.status === "draft" ? <p className="muted">A draft cannot be published: the board's approval comes first.</p> : null}
    </section>
  );
}
