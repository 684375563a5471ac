/**
 * The database as routes see it. Routes import it from here, not from db/, because only
 * `*.server.ts` modules inside app/ are kept out of the browser bundle.
 */
export { databaseAnswers, getDb } from "../db/client";
