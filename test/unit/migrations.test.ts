/**
 * drizzle's migrator applies only migrations newer than the last one applied, judged by the journal's
 * timestamps: a migration listed with an older timestamp is silently skipped on every existing database.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const folder = path.resolve(import.meta.dirname, "../../db/migrations");

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as { entries: JournalEntry[] };
const sqlFiles = fs
  .readdirSync(folder)
  .filter((name) => name.endsWith(".sql"))
  .sort();

describe("the migration journal", () => {
  it("lists every migration file, in the order of the files, and nothing else", () => {
    expect(sqlFiles.length).toBeGreaterThan(0);
    expect(journal.entries.map((e) => `${e.tag}.sql`)).toEqual(sqlFiles);
  });

  it("numbers the entries 0, 1, 2… as their file names do", () => {
    journal.entries.forEach((entry, position) => {
      expect(entry.idx).toBe(position);
      expect(entry.tag.startsWith(String(position).padStart(4, "0") + "_")).toBe(true);
    });
  });

  it("gives each migration a later timestamp than the one before", () => {
    for (let i = 1; i < journal.entries.length; i++) {
      const previous = journal.entries[i - 1]!;
      const current = journal.entries[i]!;
      expect(current.when, `${current.tag} must be later than ${previous.tag}`).toBeGreaterThan(previous.when);
    }
  });
});
