import type { Database } from "./client";
import type { Actor } from "../app/models/audit.server";

export async function seedDemoTrust(_db: Database, _actor: Actor): Promise<void> {}
