/** The life of a scheme version: draft → approved → superseded. Approved versions never change. */
export const VERSION_STATUSES = ["draft", "approved", "superseded"] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];
