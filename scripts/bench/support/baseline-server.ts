/**
 * The bare baseline for the booking rate: Express and pg, one INSERT per request, nothing
 * else. Run as its own process (`baseline.ts` starts it) on PORT against DATABASE_URL.
 */
import express from 'express';
import { Pool } from 'pg';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  await pool.query(
    `CREATE TABLE IF NOT EXISTS bench_baseline_inserts (
       id bigserial PRIMARY KEY, name text NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
  );
  const app = express();
  app.use(express.json());
  app.get('/ready', (_req, res) => {
    res.send('ok');
  });
  app.post('/insert', async (req, res) => {
    const { rows } = await pool.query<{ id: string }>(
      'INSERT INTO bench_baseline_inserts (name) VALUES ($1) RETURNING id',
      [String((req.body as { name?: unknown }).name ?? '')],
    );
    res.status(201).json({ id: rows[0]?.id });
  });
  app.listen(Number(process.env.PORT), '127.0.0.1');
  process.on('SIGTERM', () => {
    void pool.end().finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
