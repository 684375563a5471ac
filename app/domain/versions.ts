/** The life of a scheme version: draft → approved → superseded. Approved versions never change. */
export const VERSION_STATUSES = ["draft", "approved", "superseded"] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** The version number in a URL ("/versions/3"), or null for anything that cannot be one. */
export function versionNumberFromParam(param: string | undefined): number | null {
  return param && /^\d{1,9}$/.test(param) ? Number(param) : null;
}
