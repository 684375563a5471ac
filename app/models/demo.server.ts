import type { Database } from "../../db/client";
import { DEMO_USERS } from "../../db/seed";
import { demoTrustPresent } from "./trust.server";

/** The demo sign-ins, shown on the sign-in page only while the demo trust is there. */
export async function demoSignIns(db: Database) {
  if (!(await demoTrustPresent(db))) return null;
  return DEMO_USERS.map(({ name, email, password, role }) => ({ name, email, password, role }));
}
