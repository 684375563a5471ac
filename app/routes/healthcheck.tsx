import { databaseAnswers } from "~/db.server";

/** 200 only when the database answers: what a load balancer or monitor asks. */
export async function loader() {
  const ok = await databaseAnswers();
  return new Response(ok ? "OK" : "Database unavailable", {
    status: ok ? 200 : 503,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
