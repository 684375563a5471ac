/** The review calendar: each school's next review by its tier's cadence, and whether it is due or overdue. */
import { describe, expect, it } from "vitest";
import { daysAfter, isIsoDate, longDate, monthsAfter, wholeMonthsBetween } from "~/domain/dates";
import { nextAtCadence, reviewCalendar, reviewSchedule, reviewStatus, type ReviewScheduleInput } from "~/domain/review-calendar";
import { DEFAULT_TIER_POLICY } from "~/domain/tier-policy";
import { review } from "./records";

const TODAY = "2026-11-24";

function schedule(input: Partial<ReviewScheduleInput>) {
  return reviewSchedule({ school: { joinedOn: null }, decided: null, reviews: [], policy: DEFAULT_TIER_POLICY, today: TODAY, ...input });
}

describe("dates", () => {
  it("checks, adds and counts calendar dates", () => {
    expect(isIsoDate("2028-02-29")).toBe(true);
    expect(isIsoDate("2026-02-29")).toBe(false);
    expect(isIsoDate("0000-01-01")).toBe(false);
    expect(isIsoDate("0001-01-01")).toBe(true);
    expect(longDate("2026-03-01")).toBe("1 March 2026");
    expect(monthsAfter("2026-01-31", 1)).toBe("2026-02-28");
    expect(monthsAfter("2026-03-15", -3)).toBe("2025-12-15");
    expect(daysAfter("2026-12-31", 1)).toBe("2027-01-01");
    expect(wholeMonthsBetween("2025-01-15", "2025-02-14")).toBe(0);
    expect(wholeMonthsBetween("2025-01-15", "2025-02-15")).toBe(1);
    expect(wholeMonthsBetween("2025-01-31", "2025-02-28")).toBe(1);
    expect(wholeMonthsBetween("2026-11-24", "2024-11-24")).toBe(-24);
  });
});

describe("a school's next review", () => {
  it("falls a tier's interval after the last review: six months in standard, three in intervention", () => {
    const reviews = [review("2026-03-10", "steady"), review("2026-09-10", "improving")];
    expect(schedule({ reviews, decided: { tier: "T2", decidedOn: "2025-01-01", nextReviewOn: "2025-06-01" } })).toMatchObject({
      tier: "T2",
      reviewsPerYear: 2,
      lastReviewedOn: "2026-09-10",
      nextReviewOn: "2027-03-10",
      basis: "cadence",
      status: "scheduled",
      upcoming: ["2027-03-10", "2027-09-10"],
    });
    const intervention = schedule({ reviews, decided: { tier: "T4", decidedOn: "2026-09-10", nextReviewOn: "2027-01-15" } });
    expect(intervention).toMatchObject({ nextReviewOn: "2026-12-10", basis: "cadence", status: "due" });
    expect(intervention.upcoming).toEqual(["2026-12-10", "2027-03-10", "2027-06-10", "2027-09-10"]);
  });

  it("follows the trust's own cadence, in days where the year does not divide into whole months", () => {
    const policy = structuredClone(DEFAULT_TIER_POLICY);
    policy.tiers.T3.reviewsPerYear = 5;
    const result = schedule({ reviews: [review("2026-10-01", "steady")], decided: { tier: "T3", decidedOn: "2026-01-01", nextReviewOn: "2026-06-01" }, policy });
    expect(result.nextReviewOn).toBe("2026-12-13");
    expect(result.upcoming).toHaveLength(5);
    expect(nextAtCadence("2026-01-01", 12)).toBe("2026-02-01");
  });

  it("takes the decision's own next review date while no review has been held since the decision", () => {
    const result = schedule({ reviews: [review("2026-10-01", "steady")], decided: { tier: "T4", decidedOn: "2026-11-01", nextReviewOn: "2026-11-20" } });
    expect(result).toMatchObject({ nextReviewOn: "2026-11-20", basis: "decision", status: "overdue" });
  });

  it("counts from joining for a school never reviewed, at the standard cadence when no tier is decided", () => {
    expect(schedule({ school: { joinedOn: "2026-09-01" } })).toMatchObject({ tier: "T2", nextReviewOn: "2027-03-01", basis: "joining", status: "scheduled" });
  });

  it("has no date for a school never reviewed, with no decision and no joining date", () => {
    expect(schedule({})).toMatchObject({ nextReviewOn: null, basis: null, status: "unscheduled", upcoming: [] });
  });

  it("ignores a review dated after today", () => {
    expect(schedule({ reviews: [review("2026-01-05", "steady"), review("2027-01-05", "improving")] })).toMatchObject({ lastReviewedOn: "2026-01-05", nextReviewOn: "2026-07-05", status: "overdue" });
  });

  it("is due within 30 days, overdue from the day after its date", () => {
    expect(reviewStatus("2026-11-24", TODAY)).toBe("due");
    expect(reviewStatus("2026-12-24", TODAY)).toBe("due");
    expect(reviewStatus("2026-12-25", TODAY)).toBe("scheduled");
    expect(reviewStatus("2026-11-23", TODAY)).toBe("overdue");
  });
});

describe("the trust's calendar", () => {
  it("puts overdue reviews first, then due, scheduled and undated, each by date, with counts", () => {
    const entries = [
      { school: "Brook", schedule: schedule({ school: { joinedOn: "2026-09-01" } }) },
      { school: "Abbey", schedule: schedule({ reviews: [review("2026-01-05", "steady")] }) },
      { school: "Cedar", schedule: schedule({}) },
      { school: "Dale", schedule: schedule({ reviews: [review("2026-02-01", "steady")] }) },
      { school: "Elm", schedule: schedule({ reviews: [review("2026-06-10", "steady")] }) },
    ];
    const calendar = reviewCalendar(entries);
    expect(calendar.entries.map((e) => e.school)).toEqual(["Abbey", "Dale", "Elm", "Brook", "Cedar"]);
    expect(calendar.counts).toEqual({ overdue: 2, due: 1, scheduled: 1, unscheduled: 1 });
  });
});
