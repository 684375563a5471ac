/**
 * The validation panel beside the matrix: the version's findings, filtered by severity and area,
 * loaded from the version's checks page and loaded again after every change to the matrix.
 */
import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useId, useState } from "react";
import { areaName } from "~/domain/areas";
import type { FindingView } from "~/domain/rules/finding-view";
import { SEVERITIES, SEVERITY_LABELS, type Severity } from "~/domain/rules/types";
import type { ChecksData } from "~/routes/trusts.$slug.versions.$number.checks";
import { FindingItem } from "./finding-item";

export function FindingsPanel({
  checksUrl,
  changes,
  onFindings,
  onShow,
}: {
  checksUrl: string;
  /** Moves on with every saved change to the matrix: the findings are loaded again. */
  changes: number;
  onFindings: (findings: FindingView[]) => void;
  onShow: (finding: FindingView) => void;
}) {
  const checks = useFetcher<ChecksData>({ key: `checks:${checksUrl}` });
  const [severities, setSeverities] = useState<Set<Severity>>(new Set(SEVERITIES));
  const [area, setArea] = useState<number | null>(null);
  const areaId = useId();
  const { load } = checks;

  useEffect(() => {
    // A burst of saves is checked once, when it settles.
    const timer = setTimeout(() => load(checksUrl), changes === 0 ? 0 : 400);
    return () => clearTimeout(timer);
  }, [load, checksUrl, changes]);

  const page = checks.data;
  useEffect(() => {
    if (page) onFindings(page.findings);
  }, [page, onFindings]);

  const findings = page?.findings ?? [];
  const areas = [...new Set(findings.flatMap((f) => f.areas))].sort((a, b) => a - b);
  const shown = findings.filter((f) => severities.has(f.severity) && (area === null || f.areas.includes(area)));
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const toggle = (s: Severity) => {
    const next = new Set(severities);
    if (next.has(s)) next.delete(s);
    else next.add(s);
    setSeverities(next);
  };

  return (
    <aside className="findings-panel" aria-labelledby="findings-heading">
      <h2 id="findings-heading">Checks</h2>
      <p className="findings-panel__status" role="status">
        {!page
          ? checks.state === "loading"
            ? "Checking the scheme…"
            : "The checks of this version are in the full report, linked below."
          : findings.length === 0
            ? "The checks found nothing in this version."
            : `${findings.length} ${findings.length === 1 ? "finding" : "findings"}: ${SEVERITIES.map((s) => `${count(s)} ${SEVERITY_LABELS[s].toLowerCase()}`).join(", ")}.`}
        {page && checks.state === "loading" ? " Checking again…" : ""}
      </p>
      {findings.length > 0 ? (
        <fieldset className="findings-panel__filters">
          <legend>Show</legend>
          {SEVERITIES.map((s) => (
            <label key={s} className="findings-panel__check">
              <input type="checkbox" checked={severities.has(s)} onChange={() => toggle(s)} /> {SEVERITY_LABELS[s]} ({count(s)})
            </label>
          ))}
          <div className="field">
            <label htmlFor={areaId}>Area</label>
            <select id={areaId} value={area ?? ""} onChange={(e) => setArea(e.target.value === "" ? null : Number(e.target.value))}>
              <option value="">All areas</option>
              {areas.map((a) => (
                <option key={a} value={a}>
                  {a === 0 ? "Unclassified" : `${a}. ${areaName(a)}`}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
      ) : null}
      {page ? (
        <ul className="findings">
          {shown.map((f) => (
            <FindingItem
              key={f.key}
              finding={f}
              onShow={onShow}
              actions={{ action: checksUrl, canFix: page.canFix, canAcknowledge: page.canAcknowledge }}
            />
          ))}
        </ul>
      ) : null}
      {findings.length > 0 && shown.length === 0 ? <p className="muted">No finding matches what is chosen above.</p> : null}
      <p>
        <Link to={checksUrl}>The full report of the checks</Link>
      </p>
    </aside>
  );
}
