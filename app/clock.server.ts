/** Today's date in England (YYYY-MM-DD): what "today" means for a trust's dates, whatever the server's time zone. */
export function today(now: Date = new Date()): string {
  return now.toLocaleDateString("en-CA", { timeZone: "Europe/London" });
}
