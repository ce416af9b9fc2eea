// The tables of the rollups, the same in both databases but for the names of two column types.
// Every dimension is NOT NULL ('' for none) so that a row's key is unique in both.

/** `clustered`: what makes a table stored in its primary key's order (SQLite's WITHOUT ROWID). */
export const ROLLUPS_SCHEMA = (real: string, bytes: string, id: string, clustered: string) => `
  -- Each combination of dimensions once, so that rollups group on one integer.
  CREATE TABLE rollup_keys (
    id ${id}, site TEXT NOT NULL, path TEXT NOT NULL, widget TEXT NOT NULL, instance TEXT NOT NULL,
    type TEXT NOT NULL, network TEXT NOT NULL, campaign TEXT NOT NULL, variant TEXT NOT NULL, source TEXT NOT NULL,
    currency TEXT NOT NULL,
    UNIQUE (site, path, widget, instance, type, network, campaign, variant, source, currency)
  );
  -- Counts per key and bucket: a UTC day (YYYY-MM-DD) and, again, its month (YYYY-MM), so a long range
  -- reads its whole months as one row per key.
  CREATE TABLE rollups (
    site TEXT NOT NULL, bucket TEXT NOT NULL, key BIGINT NOT NULL, count BIGINT NOT NULL, value ${real} NOT NULL,
    PRIMARY KEY (site, bucket, key)
  )${clustered};
  -- Events per day and type, for each post and (path '*') for the whole site: the report's series.
  CREATE TABLE daily (
    site TEXT NOT NULL, day TEXT NOT NULL, path TEXT NOT NULL, type TEXT NOT NULL, count BIGINT NOT NULL,
    PRIMARY KEY (site, path, day, type)
  )${clustered};
  -- The day's reader hashes, only to tell a new reader from one already counted; gone with the day's salt.
  CREATE TABLE visitors (
    site TEXT NOT NULL, day TEXT NOT NULL, path TEXT NOT NULL, step TEXT NOT NULL, reader TEXT NOT NULL,
    PRIMARY KEY (site, day, reader, step, path)
  );
  CREATE TABLE salts (day TEXT PRIMARY KEY, salt ${bytes} NOT NULL);
  -- What is known of each quote: its code (for arrivals), its post and its latest text.
  CREATE TABLE quotes (
    site TEXT NOT NULL, instance TEXT NOT NULL, code TEXT NOT NULL, path TEXT NOT NULL, text TEXT, at BIGINT NOT NULL,
    PRIMARY KEY (site, instance)
  );
  CREATE INDEX quotes_site_code ON quotes (site, code);
  CREATE TABLE pages (site TEXT NOT NULL, path TEXT NOT NULL, title TEXT NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (site, path));
  CREATE TABLE ignored (site TEXT NOT NULL, day TEXT NOT NULL, count BIGINT NOT NULL, PRIMARY KEY (site, day));
`;

/** The first and last day (inclusive) of a range in ms, for the rollups' `day` column. */
export function dayBounds(from: number, to: number): [string, string] {
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  return [day(from), day(Math.max(from, to - 1))];
}

/** The buckets that cover the days `first` to `last` (inclusive): whole months as months, the rest as days. */
export function bucketsOf(first: string, last: string): string[] {
  const buckets: string[] = [];
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const DAY = 86_400_000;
  let t = Date.parse(`${first}T00:00:00Z`);
  const end = Date.parse(`${last}T00:00:00Z`);
  while (t <= end) {
    const date = new Date(t);
    const monthEnd = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) - DAY;
    if (date.getUTCDate() === 1 && monthEnd <= end) {
      buckets.push(day(t).slice(0, 7));
      t = monthEnd + DAY;
    } else {
      buckets.push(day(t));
      t += DAY;
    }
  }
  return buckets;
}
