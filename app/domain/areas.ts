/**
 * The twelve operating-model areas of the research (Building Trusts, 2018, Methodology).
 * Area 0 holds imported sections that have not been matched to a research area yet.
 */
export const AREAS = [
  { number: 1, name: "Vision and values" },
  { number: 2, name: "Extra-curricular activities" },
  { number: 3, name: "Curriculum and pedagogy" },
  { number: 4, name: "Pupil policies and pastoral system" },
  { number: 5, name: "Information management" },
  { number: 6, name: "Parent and community engagement" },
  { number: 7, name: "Workforce planning and development" },
  { number: 8, name: "Leadership and management" },
  { number: 9, name: "Governance" },
  { number: 10, name: "School improvement support" },
  { number: 11, name: "Communications and branding" },
  { number: 12, name: "Shared services and back office functions" },
] as const;

export const UNCLASSIFIED_AREA = 0;
export const AREA_NUMBERS = [UNCLASSIFIED_AREA, ...AREAS.map((a) => a.number)];

export function areaName(number: number): string {
  return AREAS.find((a) => a.number === number)?.name ?? "Unclassified";
}
