// The tables of the rollups, the same in both databases but for the names of two column types.
// Every dimension is NOT NULL ('' for none) so that a row's key is unique in both.

export const ROLLUPS_SCHEMA = (real: string, bytes: string) => `
  CREATE TABLE rollups (
    site TEXT NOT NULL, day TEXT NOT NULL, path TEXT NOT NULL, widget TEXT NOT NULL, instance TEXT NOT NULL,
    type TEXT NOT NULL, network TEXT NOT NULL, campaign TEXT NOT NULL, variant TEXT NOT NULL, source TEXT NOT NULL,
    currency TEXT NOT NULL, count BIGINT NOT NULL, value ${real} NOT NULL,
    PRIMARY KEY (site, day, path, widget, instance, type, network, campaign, variant, source, currency)
  );
  -- Unique readers: how many distinct readers reached each step of each post, per day.
  CREATE TABLE readers (
    site TEXT NOT NULL, day TEXT NOT NULL, path TEXT NOT NULL, step TEXT NOT NULL, count BIGINT NOT NULL,
    PRIMARY KEY (site, day, path, step)
  );
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
