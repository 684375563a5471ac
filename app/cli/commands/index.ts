/** Every command of `sod`: a new command is one file under commands/ and one line here. */
import type { Command } from "../command";
import { adminCreate } from "./admin";
import { backup, restore } from "./backup";
import { diffCommand } from "./diff";
import { exportCommand } from "./export";
import { exportPacksCommand } from "./export-packs";
import { importCsvCommand } from "./import-csv";
import { importPerformanceCommand } from "./import-performance";
import { importSchoolsCommand } from "./import-schools";
import { seed } from "./seed";
import { trustCreate, trustList } from "./trust";
import { userAdd } from "./user";
import { validateCommand } from "./validate";

export const COMMANDS: Command[] = [adminCreate, trustCreate, trustList, userAdd, seed, backup, restore, importSchoolsCommand, importPerformanceCommand, importCsvCommand, exportCommand, exportPacksCommand, validateCommand, diffCommand];
