import { PGlite } from "@electric-sql/pglite";
import fs from "node:fs";
const [base, target, kind] = process.argv.slice(2);
if (!fs.existsSync(base)) { const p = await PGlite.create(base); await p.exec("create table t(x int); insert into t values (1)"); await p.close(); }
fs.rmSync(target, { recursive: true, force: true }); fs.cpSync(base, target, { recursive: true });
if (kind === "control") fs.truncateSync(`${target}/global/pg_control`, 10);
if (kind === "version") fs.writeFileSync(`${target}/PG_VERSION`, "garbage\n");
if (kind === "base") fs.rmSync(`${target}/base`, { recursive: true });
if (kind === "wal") fs.rmSync(`${target}/pg_wal`, { recursive: true });
const before = fs.readdirSync("/tmp/dmg").sort();
try { const p = await PGlite.create(target); console.log(kind, "opened", (await p.query("select * from t")).rows); await p.close(); }
catch (e) { console.log(kind, "failed:", e.message); }
console.log("dirs before", before.join(","), "after", fs.readdirSync("/tmp/dmg").sort().join(","), "target files", fs.existsSync(target) ? fs.readdirSync(target).length : "gone");
