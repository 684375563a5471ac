import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../db/client";
import { startPostgresServer } from "./postgres-server";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    postgresTemplate: string;
  }
}

const TEMPLATE = "sod_template";

/** One server for the run; a migrated template database that every test file copies. */
export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  const server = external ? undefined : await startPostgresServer();
  const adminUrl = external ?? server!.url("postgres");
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${TEMPLATE}`);
  await admin.unsafe(`create database ${TEMPLATE}`);
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE}`;
  const handle = await openDatabase({ kind: "postgres", url: templateUrl.toString(), maxConnections: 1 });
  await handle.close();
  await admin.end();
  project.provide("postgresAdminUrl", adminUrl);
  project.provide("postgresTemplate", TEMPLATE);
  return () => server?.stop();
}
