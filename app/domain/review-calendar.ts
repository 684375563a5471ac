/**
 * When each school is next reviewed (EA-06): its decided tier sets how many reviews a year it has,
 * so the next one falls that long after its last; a tier decision's own next review date comes
 * first while no review has been held since the decision. A school with no decision is reviewed at
 * the standard tier's cadence; one never reviewed, from the day it joined.
 */
import type { Tier } from "./autonomy";
import type { SchoolReview, TierDecision } from "./autonomy-context";
import { daysAfter, monthsAfter } from "./dates";
import { reviewsSoFar } from "./school-evidence";
import type { TierPolicy } from "./tier-policy";

/** DCAT's Academy Improvement Reviews a year, the least EA-06 asks for by tier (transition has no minimum). */
export const MINIMUM_REVIEWS_PER_YEAR: Partial<Record<Tier, number>> = { T1: 2, T2: 2, T3: 3, T4: 4 };

/** A review falling due within this many days is shown as due. */
export const DUE_WITHIN_DAYS = 30;

export const REVIEW_STATUSES = ["overdue", "due", "scheduled", "unscheduled"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const REVIEW_STATUS_LABELS: Record<ReviewStatus, string> = {
  overdue: "Overdue",
  due: "Due",
  scheduled: "Scheduled",
  unscheduled: "No date: never reviewed",
};

export interface ReviewScheduleInput {
  school: { joinedOn: string | null };
  /** The decision in effect, or null: the standard tier's cadence then applies. */
  decided: Pick<TierDecision, "tier" | "decidedOn" | "nextReviewOn"> | null;
  reviews: readonly Pick<SchoolReview, "reviewedOn">[];
  policy: TierPolicy;
  today: string;
}

export interface ReviewSchedule {
  /** The tier whose cadence applies. */
  tier: Tier;
  reviewsPerYear: number;
  lastReviewedOn: string | null;
  /** Null only for a school never reviewed, with no decision and no joining date. */
  nextReviewOn: string | null;
  /** What set the next date: the tier's cadence after the last review, the decision, or joining. */
  basis: "cadence" | "decision" | "joining" | null;
  status: ReviewStatus;
  /** A year of review dates from the next one, at the tier's cadence. */
  upcoming: string[];
}

/** The date one review interval after `iso`: whole months where the year divides evenly, days otherwise. */
export function nextAtCadence(iso: string, reviewsPerYear: number): string {
  return 12 % reviewsPerYear === 0 ? monthsAfter(iso, 12 / reviewsPerYear) : daysAfter(iso, Math.round(365 / reviewsPerYear));
}

export function reviewStatus(nextReviewOn: string | null, today: string): ReviewStatus {
  if (nextReviewOn === null) return "unscheduled";
  if (nextReviewOn < today) return "overdue";
  return nextReviewOn <= daysAfter(today, DUE_WITHIN_DAYS) ? "due" : "scheduled";
}

export function reviewSchedule(input: ReviewScheduleInput): ReviewSchedule {
  const { school, decided, reviews, policy, today } = input;
  const tier = decided?.tier ?? "T2";
  const reviewsPerYear = policy.tiers[tier].reviewsPerYear;
  const [last] = reviewsSoFar(reviews, today);
  const candidates: { date: string; basis: NonNullable<ReviewSchedule["basis"]> }[] = [];
  if (last) candidates.push({ date: nextAtCadence(last.reviewedOn, reviewsPerYear), basis: "cadence" });
  else if (school.joinedOn) candidates.push({ date: nextAtCadence(school.joinedOn, reviewsPerYear), basis: "joining" });
  // The board's own date stands until a review is held after its decision.
  if (decided?.nextReviewOn && !(last && last.reviewedOn >= decided.decidedOn)) candidates.push({ date: decided.nextReviewOn, basis: "decision" });
  const first = candidates.reduce<(typeof candidates)[number] | null>((soonest, c) => (soonest === null || c.date < soonest.date ? c : soonest), null);
  const upcoming: string[] = [];
  for (let date = first?.date ?? null; date !== null && upcoming.length < reviewsPerYear; date = nextAtCadence(date, reviewsPerYear)) upcoming.push(date);
  return {
    tier,
    reviewsPerYear,
    lastReviewedOn: last?.reviewedOn ?? null,
    nextReviewOn: first?.date ?? null,
    basis: first?.basis ?? null,
    status: reviewStatus(first?.date ?? null, today),
    upcoming,
  };
}

export interface CalendarEntry<S> {
  school: S;
  schedule: ReviewSchedule;
}

export interface ReviewCalendar<S> {
  /** Overdue first, then due, scheduled and undated; by date within each. */
  entries: CalendarEntry<S>[];
  counts: Record<ReviewStatus, number>;
}

/** The trust's view: every school's next review, the overdue and due ones first. */
export function reviewCalendar<S>(entries: readonly CalendarEntry<S>[]): ReviewCalendar<S> {
  const counts = Object.fromEntries(REVIEW_STATUSES.map((s) => [s, 0])) as Record<ReviewStatus, number>;
  for (const entry of entries) counts[entry.schedule.status]++;
  const sorted = [...entries].sort(
    (a, b) =>
      REVIEW_STATUSES.indexOf(a.schedule.status) - REVIEW_STATUSES.indexOf(b.schedule.status) ||
      (a.schedule.nextReviewOn ?? "").localeCompare(b.schedule.nextReviewOn ?? ""),
  );
  return { entries: sorted, counts };
}
