#!/usr/bin/env node
// The `sod` command: runs the TypeScript entry through tsx, with the project's tsconfig so that
// the "~" alias resolves whichever directory the command is started from.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
await import("./main.ts");
