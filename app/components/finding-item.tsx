/**
 * One finding: what is wrong, why and where that comes from, and what can be done about it (apply
 * the fix, or acknowledge it with a reason). The forms post to the version's checks page, and work
 * the same with or without JavaScript.
 */
import { useFetcher } from "@remix-run/react";
import { useId } from "react";
import { SEVERITY_LABELS } from "~/domain/rules/types";
import type { FindingView } from "~/domain/rules/finding-view";

export interface FindingActions {
  /** The checks page's address, where the forms post. */
  action: string;
  canFix: boolean;
  canAcknowledge: boolean;
}

interface Answer {
  done?: string;
  result?: { error?: Record<string, string[] | null> | null };
}

function messagesOf(answer: Answer | undefined): string[] {
  return Object.values(answer?.result?.error ?? {}).flatMap((e) => e ?? []);
}

export function FindingItem({
  finding,
  actions,
  onShow,
}: {
  finding: FindingView;
  actions: FindingActions;
  /** Given where the matrix is on the same page: highlights the finding's cells. */
  onShow?: (finding: FindingView) => void;
}) {
  const fetcher = useFetcher<Answer>();
  const reasonId = useId();
  const busy = fetcher.state !== "idle";
  const errors = messagesOf(fetcher.data);
  return (
    <li className={`finding finding--${finding.severity}${finding.acknowledged ? " finding--acknowledged" : ""}`} data-rule={finding.ruleId}>
      <h3 className="finding__head">
        <span className={`severity severity--${finding.severity}`}>{SEVERITY_LABELS[finding.severity]}</span> <span className="finding__rule">{finding.ruleId}</span>
        {finding.acknowledged ? <span className="finding__ack-tag">Acknowledged</span> : null}
      </h3>
      <p className="finding__message">{finding.message}</p>
      {finding.acknowledged ? <p className="finding__reason">The trust’s reason: {finding.acknowledged.reason}</p> : null}
      <details className="finding__why">
        <summary>Why this matters</summary>
        <p>{finding.rationale}</p>
        <p className="muted">Source: {finding.source}</p>
      </details>
      {errors.length > 0 ? (
        <div className="form-error" role="alert">
          {errors.map((e) => (
            <p key={e}>{e}</p>
          ))}
        </div>
      ) : null}
      <div className="finding__actions">
        {onShow && finding.rowIds.length > 0 ? (
          <button type="button" className="secondary" onClick={() => onShow(finding)}>
            Show in the matrix
          </button>
        ) : null}
        {actions.canFix && finding.fix ? (
          <fetcher.Form method="post" action={actions.action} preventScrollReset>
            <input type="hidden" name="intent" value="fix" />
            <input type="hidden" name="key" value={finding.key} />
            <button type="submit" disabled={busy}>
              {finding.fix.label}
            </button>
          </fetcher.Form>
        ) : null}
        {actions.canAcknowledge && finding.acknowledged ? (
          <fetcher.Form method="post" action={actions.action} preventScrollReset>
            <input type="hidden" name="intent" value="withdraw" />
            <input type="hidden" name="key" value={finding.key} />
            <button type="submit" className="secondary" disabled={busy}>
              Withdraw the acknowledgement
            </button>
          </fetcher.Form>
        ) : null}
      </div>
      {actions.canAcknowledge && !finding.acknowledged ? (
        <details className="finding__acknowledge">
          <summary>Acknowledge: the trust departs from this knowingly</summary>
          <fetcher.Form method="post" action={actions.action} preventScrollReset>
            <input type="hidden" name="intent" value="acknowledge" />
            <input type="hidden" name="key" value={finding.key} />
            <div className="field">
              <label htmlFor={reasonId}>The trust’s reason (it appears in the document’s notes)</label>
              <textarea id={reasonId} name="reason" rows={2} maxLength={1000} required />
            </div>
            <button type="submit" className="secondary" disabled={busy}>
              Acknowledge
            </button>
          </fetcher.Form>
        </details>
      ) : null}
    </li>
  );
}
