/**
 * Calendar dates as the product keeps them: ISO strings (YYYY-MM-DD), which compare correctly as
 * text. No time zones: an inspection, a review or a decision happens on a day, not at an instant.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

const pad = (n: number) => String(n).padStart(2, "0");

function parts(iso: string): [number, number, number] {
  const [year = 0, month = 1, day = 1] = iso.split("-").map(Number);
  return [year, month, day];
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether the text is a real day written as YYYY-MM-DD (so 2025-02-30 is not, nor 0000-01-01: the calendar has no year 0). */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** "2026-03-01" → "1 March 2026", the way the scheme's readers write dates. */
export function longDate(iso: string): string {
  const [year, month, day] = parts(iso);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** The ISO date `months` after `iso` (before it when negative); the 31st of a shorter month becomes its last day. */
export function monthsAfter(iso: string, months: number): string {
  const [year, month, day] = parts(iso);
  const index = year * 12 + (month - 1) + months;
  const toYear = Math.floor(index / 12);
  const toMonth = (index % 12) + 1;
  return `${toYear}-${pad(toMonth)}-${pad(Math.min(day, daysInMonth(toYear, toMonth)))}`;
}

/** The ISO date `days` after `iso` (before it when negative). */
export function daysAfter(iso: string, days: number): string {
  const [year, month, day] = parts(iso);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/**
 * Whole months from `from` to `to`, counted as monthsAfter counts them (so 2025-01-31 → 2025-02-28
 * is one month, its last day standing for the 31st). Negative when `to` is earlier.
 */
export function wholeMonthsBetween(from: string, to: string): number {
  if (to < from) return -wholeMonthsBetween(to, from);
  const [fromYear, fromMonth] = parts(from);
  const [toYear, toMonth] = parts(to);
  const months = (toYear - fromYear) * 12 + (toMonth - fromMonth);
  return monthsAfter(from, months) <= to ? months : months - 1;
}
