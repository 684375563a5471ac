/**
 * One app server for the end-to-end tests, on an embedded database holding the demo trust and a
 * second trust that none of the demo users belongs to (to show that one trust never sees another's).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../db/client";
import { DEMO_TRUST_SLUG } from "../../db/seed";
import { prepareDatabase } from "../../db/startup";
import { COMMAND_LINE } from "../../app/models/audit.server";
import { addMember } from "../../app/models/membership.server";
import { createTrust, findTrustBySlug } from "../../app/models/trust.server";
import { createUser } from "../../app/models/user.server";
import { startAppServer } from "./server";

export interface TrustFacts {
  name: string;
  slug: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    appUrl: string;
    demoTrust: TrustFacts;
    otherTrust: TrustFacts & { clerkName: string; clerkEmail: string; clerkPassword: string };
  }
}

const OTHER_TRUST = {
  name: "Saltmarsh Estuary Learning Trust",
  slug: "saltmarsh-estuary",
  clerkName: "Ruth Okonjo-Marsh",
  clerkEmail: "ruth.okonjo-marsh@saltmarsh.example",
  clerkPassword: "saltmarsh-clerk-2026",
};

export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sod-e2e-"));
  const dataDir = path.join(dir, "data");
  const handle = await openDatabase({ kind: "pglite", dataDir });
  let demoName: string;
  try {
    await prepareDatabase(handle);
    const demo = await findTrustBySlug(handle.db, DEMO_TRUST_SLUG);
    if (!demo) throw new Error(`The demo trust (${DEMO_TRUST_SLUG}) was not seeded into the new database.`);
    demoName = demo.name;
    const other = await createTrust(handle.db, COMMAND_LINE, { name: OTHER_TRUST.name, slug: OTHER_TRUST.slug });
    const clerk = await createUser(handle.db, COMMAND_LINE, {
      name: OTHER_TRUST.clerkName,
      email: OTHER_TRUST.clerkEmail,
      password: OTHER_TRUST.clerkPassword,
    });
    await addMember(handle.db, COMMAND_LINE, { trustId: other.id, userId: clerk.id, role: "clerk" });
  } finally {
    await handle.close();
  }

  const server = await startAppServer({ dataDir });
  project.provide("appUrl", server.url);
  project.provide("demoTrust", { name: demoName, slug: DEMO_TRUST_SLUG });
  project.provide("otherTrust", OTHER_TRUST);
  return async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
