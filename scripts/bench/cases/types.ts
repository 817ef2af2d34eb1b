export interface BenchCase {
  /** Heading of the human table. */
  title: string;
  /** Rows of the human table: label and printed value (with unit), and the goal if any. */
  rows: { label: string; value: string; goal?: string }[];
  /** Numeric keys for the final JSON line (issue 12's names exactly). */
  keys: Record<string, number>;
}
