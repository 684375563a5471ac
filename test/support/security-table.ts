/**
 * The table of routes in docs/security.md, read as data: for each route and method, who may use it and
 * whether it is about the trust named in its address. The access tests take their requests from it, so
 * the table is where a route's access is written down, and a test fails when it stops being true.
 */
import fs from "node:fs";
import path from "node:path";
import { PERMISSIONS, ROLES, type Permission, type Role } from "~/domain/roles";

export const SECURITY_DOC = path.resolve(import.meta.dirname, "../../docs/security.md");

export type Who =
  | { kind: "anyone" }
  | { kind: "signed-in" }
  | { kind: "site administrator" }
  /** Answers 404 to everyone: an address that serves nothing. */
  | { kind: "nobody" }
  | { kind: "member"; permission: Permission; roles: Role[] };

export interface SecurityRow {
  /** The route's file in app/routes, e.g. "trusts.$slug.people.tsx". */
  file: string;
  /** The address as written, e.g. "/trusts/:slug/people". */
  path: string;
  /** A query the request carries, e.g. "intent=record" (the forms of some pages post to it). */
  query: string;
  method: "GET" | "POST";
  /** The form's intent, for an action whose permission depends on it. */
  intent: string | null;
  who: Who;
  /** yes: about the trust in the address, 404 for anyone not a member; published: its published version only. */
  scope: "yes" | "no" | "published";
  line: number;
}

const ROLE_WORDS: Record<string, Role> = { ceo: "ceo", clerk: "clerk", trustee: "trustee", viewer: "viewer" };

function codeSpan(cell: string, line: number, what: string): string {
  const match = /^`([^`]+)`/.exec(cell);
  if (!match) throw new Error(`docs/security.md line ${line}: the ${what} should be written in backticks, e.g. \`...\`; found "${cell}".`);
  return match[1]!;
}

function parseWho(cell: string, line: number): Who {
  const text = cell.trim();
  if (text === "anyone") return { kind: "anyone" };
  if (text === "signed-in") return { kind: "signed-in" };
  if (text === "site administrator") return { kind: "site administrator" };
  if (text === "nobody") return { kind: "nobody" };
  const member = /^member: `(\w+)` \(([^)]*)\)$/.exec(text);
  if (member) {
    const permission = member[1]!;
    if (!(permission in PERMISSIONS)) throw new Error(`docs/security.md line ${line}: "${permission}" is not a permission in app/domain/roles.ts.`);
    const roles = member[2]!.split(",").map((word) => {
      const role = ROLE_WORDS[word.trim().toLowerCase()];
      if (!role) throw new Error(`docs/security.md line ${line}: "${word.trim()}" is not a role (${ROLES.join(", ")}).`);
      return role;
    });
    return { kind: "member", permission: permission as Permission, roles };
  }
  throw new Error(
    `docs/security.md line ${line}: "${text}" is not one of: anyone, signed-in, site administrator, nobody, member: \`permission\` (roles).`,
  );
}

/** The rows of the table headed "| Route file | Path | Method | Who may use it | Trust in the URL |". */
export function readSecurityTable(file = SECURITY_DOC): SecurityRow[] {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const start = lines.findIndex((l) => /^\|\s*Route file\s*\|\s*Path\s*\|\s*Method\s*\|\s*Who may use it\s*\|\s*Trust in the URL\s*\|/.test(l));
  if (start < 0) throw new Error("docs/security.md has no table headed | Route file | Path | Method | Who may use it | Trust in the URL |.");
  const rows: SecurityRow[] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith("|"); i++) {
    const line = i + 1;
    const cells = lines[i]!.split("|").slice(1, -1).map((c) => c.trim());
    if (cells.length < 5) throw new Error(`docs/security.md line ${line}: a row needs at least five cells.`);
    const [fileCell, pathCell, methodCell, whoCell, scopeCell] = cells as [string, string, string, string, string];
    const [routePath, query = ""] = codeSpan(pathCell, line, "path").split("?") as [string, string?];
    const method = /^(GET|POST)(?: `intent=([\w-]+)`)?$/.exec(methodCell);
    if (!method) throw new Error(`docs/security.md line ${line}: the method should be GET, POST or POST \`intent=...\`; found "${methodCell}".`);
    const scope = scopeCell === "yes" ? "yes" : scopeCell === "no" ? "no" : scopeCell === "published version only" ? "published" : null;
    if (!scope) throw new Error(`docs/security.md line ${line}: "Trust in the URL" should be yes, no or "published version only"; found "${scopeCell}".`);
    rows.push({
      file: codeSpan(fileCell, line, "route file"),
      path: routePath,
      query,
      method: method[1] as "GET" | "POST",
      intent: method[2] ?? null,
      who: parseWho(whoCell, line),
      scope,
      line,
    });
  }
  return rows;
}
