import type { Knex } from 'knex';

export interface Finding {
  schema: string;
  table: string;
  column: string;
  needle: string;
  rows: number;
}

/**
 * Looks for each needle in every text-like column of every table of the database, in all
 * schemas but PostgreSQL's own (so pg-boss's job tables and their partitions too): text,
 * varchar, json/jsonb and arrays as text, bytea as raw bytes. `strpos`, not LIKE: the `_` of
 * a base64url token would be a wildcard.
 */
export async function findInDatabase(knex: Knex, needles: readonly string[]): Promise<Finding[]> {
  const columns = await knex.raw<{
    rows: { table_schema: string; table_name: string; column_name: string; data_type: string }[];
  }>(
    `SELECT c.table_schema, c.table_name, c.column_name, c.data_type
       FROM information_schema.columns c
       JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE t.table_type = 'BASE TABLE'
        AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
        AND c.table_schema NOT LIKE 'pg\\_toast%'
        AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY')
      ORDER BY 1, 2, 3`,
  );
  const findings: Finding[] = [];
  for (const column of columns.rows) {
    const target = `${quote(column.table_schema)}.${quote(column.table_name)}`;
    const value =
      column.data_type === 'bytea'
        ? `position(convert_to(?, 'UTF8') in ${quote(column.column_name)})`
        : `strpos(${quote(column.column_name)}::text, ?)`;
    for (const needle of needles) {
      const result = await knex.raw<{ rows: { count: string }[] }>(
        `SELECT count(*) AS count FROM ${target} WHERE ${value} > 0`,
        [needle],
      );
      const rows = Number(result.rows[0]?.count ?? 0);
      if (rows > 0) {
        findings.push({
          schema: column.table_schema,
          table: column.table_name,
          column: column.column_name,
          needle,
          rows,
        });
      }
    }
  }
  return findings;
}

/** How many columns the scan looks at: a check that the scan itself covers what it should. */
export async function scannedTables(knex: Knex): Promise<string[]> {
  const result = await knex.raw<{ rows: { name: string }[] }>(
    `SELECT DISTINCT table_schema || '.' || table_name AS name
       FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
      ORDER BY 1`,
  );
  return result.rows.map((row) => row.name);
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
