// The Word rendering thread run from the TypeScript sources (the tests and the command line): through
// tsx, as `sod` runs them, with the project's tsconfig for the "~" alias.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
await import("./word-thread-worker.ts");
