/**
 * Word documents are made on a thread of their own (ADR 018): while it makes them the main thread is
 * free for other requests (its event loop barely busy, where making them itself keeps it busy), the
 * files are the documents the main thread would have made, a document that fails says why without
 * stopping the next, and a stopped thread is started again by the next document.
 */
import { performance } from "node:perf_hooks";
import { unzipSync, strFromU8 } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { seedDemoTrust, type DemoTrust } from "../../db/seed";
import { renderSchemeDocument } from "~/export/scheme-document.server";
import { renderSchoolPack, schoolPackDocumentOf, type SchoolPackDocument } from "~/export/school-pack.server";
import { schemeDocumentOffThread, schoolPackOffThread, stopWordThread } from "~/export/word-thread.server";
import { COMMAND_LINE } from "~/models/audit.server";
import { findVersionByParam } from "~/models/scheme.server";
import { loadSchemeDocument } from "~/models/scheme-document.server";
import { loadSchoolPackSource } from "~/models/school-packs.server";
import { freshDatabase } from "../support/database";

let handle: DatabaseHandle;
let demo: DemoTrust;
let packs: SchoolPackDocument[];

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  const source = (await loadSchoolPackSource(handle.db, demo.trust.id, { number: 2 }))!;
  packs = source.scheme.schools.map((school) => schoolPackDocumentOf(source, school));
});
afterAll(async () => {
  await stopWordThread();
  await handle?.close();
});

/** The share of the time the main thread's event loop was busy while `work` ran. */
async function busyShare(work: () => Promise<unknown>): Promise<number> {
  const before = performance.eventLoopUtilization();
  await work();
  return performance.eventLoopUtilization(before).utilization;
}

/** The document's own text and layout, without the file's dates. */
const documentXml = (file: Uint8Array) => strFromU8(unzipSync(file)["word/document.xml"]!);

describe("the Word thread", () => {
  it("makes the school packs while the main thread stays free, where making them itself keeps it busy", async () => {
    await schoolPackOffThread(packs[0]!);
    const offThread = await busyShare(async () => {
      for (const pack of packs) await schoolPackOffThread(pack);
    });
    const onThread = await busyShare(async () => {
      for (const pack of packs) await renderSchoolPack(pack);
    });
    expect(onThread, `${packs.length} packs made on the main thread`).toBeGreaterThan(0.6);
    expect(offThread, `${packs.length} packs made on the Word thread`).toBeLessThan(0.25);
  });

  it("makes the same documents as the main thread would", async () => {
    for (const pack of packs.slice(0, 3)) expect(documentXml(await schoolPackOffThread(pack))).toBe(documentXml(await renderSchoolPack(pack)));
    const version = (await findVersionByParam(handle.db, demo.trust.id, "3"))!;
    const data = await loadSchemeDocument(handle.db, demo.trust.id, version.id, { changesSince: true });
    const made = await schemeDocumentOffThread(data);
    expect(Buffer.isBuffer(made)).toBe(true);
    expect(documentXml(made)).toBe(documentXml(await renderSchemeDocument(data)));
    expect(documentXml(made)).toContain(demo.trust.name);
  });

  it("says why a document failed, and makes the next one", async () => {
    await expect(schoolPackOffThread({} as SchoolPackDocument)).rejects.toThrow(/undefined/);
    expect(documentXml(await schoolPackOffThread(packs[0]!))).toContain(packs[0]!.pack.school.name);
  });

  it("is started again by the next document once stopped", async () => {
    await stopWordThread();
    expect(documentXml(await schoolPackOffThread(packs[1]!))).toContain(packs[1]!.pack.school.name);
  });
});
