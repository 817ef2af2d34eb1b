import type { Knex } from 'knex';

/**
 * What a request may change without it being a change of state: when an API token was last
 * used (refreshed by any authenticated request, refused or not), the cache of Google's
 * free/busy answers (a read may refresh it), and the booking API's rate limit counts (a
 * refused request counts too, or a script sending bad input would never be limited).
 */
const BOOKKEEPING_COLUMNS: Record<string, string[]> = { api_tokens: ['last_used_at'] };
const CACHE_TABLES = new Set(['freebusy_cache', 'rate_limit_counts']);

/**
 * A cheap fingerprint of the service's own tables (not pg-boss's, not knex's): row counts and
 * an md5 over each table's rows, so "nothing changed" can be checked after every request.
 */
export async function tableChecksums(knex: Knex): Promise<Record<string, string>> {
  const tables = (
    (await knex('information_schema.tables')
      .where({ table_schema: 'public', table_type: 'BASE TABLE' })
      .whereNot('table_name', 'like', 'knex_migrations%')
      .pluck('table_name')) as string[]
  ).filter((table) => !CACHE_TABLES.has(table));
  const parts = tables.sort().map((table) => {
    // Our own constant column names, so plain text is safe here.
    const row = (BOOKKEEPING_COLUMNS[table] ?? []).reduce(
      (json, column) => `${json} - '${column}'`,
      'to_jsonb(t)',
    );
    return `SELECT '${table}' AS name, count(*) || ':' || coalesce(md5(string_agg(md5((${row})::text), '' ORDER BY md5((${row})::text))), '') AS sum FROM "${table}" t`;
  });
  const { rows } = (await knex.raw(parts.join(' UNION ALL '))) as { rows: { name: string; sum: string }[] };
  return Object.fromEntries(rows.map((row) => [row.name, row.sum]));
}
