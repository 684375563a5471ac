import type { BodyKind } from "./structure";

/** A row of the default responsibility catalogue every new trust starts from (domain.md §5(a)). */
export interface CatalogueEntry {
  /** SEED-nn for the research's surveyed responsibilities, STAT-xx for statutory decisions, DER-nn derived. */
  key: string;
  area: number;
  ref: string;
  title: string;
  guidance: string;
  /** Kinds allowed to hold D (undefined: any). */
  decisionKinds?: BodyKind[];
  /** Kinds that may hold no code at all on this row. */
  excludedKinds?: BodyKind[];
  statutoryRule?: string;
  locked?: boolean;
  externalApproval?: boolean;
  tags?: string[];
}

export const DEFAULT_CATALOGUE: CatalogueEntry[] = [];
