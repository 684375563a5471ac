/**
 * Records' versions and matrix rows' revisions are kept as PostgreSQL integers, so a form naming a
 * larger one was never made by a page: its schema refuses it as out of date, before the database would.
 */
export const LARGEST_VERSION = 2_147_483_647;
