/**
 * The bare baselines, run as their own process (`baseline.ts` starts it) on PORT, so they are
 * measured the way the service is: `POST /hello` answers 200 and nothing else (the webhook's
 * baseline); with DATABASE_URL, `POST /insert` is Express and pg doing one INSERT (the booking
 * rate's baseline).
 */
import express from 'express';
import { Pool } from 'pg';

async function main(): Promise<void> {
  const app = express();
  app.get('/ready', (_req, res) => {
    res.send('ok');
  });
  // Before any body parser: the bare handler reads nothing.
  app.post('/hello', (_req, res) => {
    res.status(200).end();
  });
  const pool = process.env.DATABASE_URL
    ? new Pool({ connectionString: process.env.DATABASE_URL, max: 10 })
    : undefined;
  if (pool) {
    await pool.query(
      `CREATE TABLE IF NOT EXISTS bench_baseline_inserts (
         id bigserial PRIMARY KEY, name text NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
    );
    app.post('/insert', express.json(), async (req, res) => {
      const { rows } = await pool.query<{ id: string }>(
        'INSERT INTO bench_baseline_inserts (name) VALUES ($1) RETURNING id',
        [String((req.body as { name?: unknown }).name ?? '')],
      );
      res.status(201).json({ id: rows[0]?.id });
    });
  }
  app.listen(Number(process.env.PORT), '127.0.0.1');
  process.on('SIGTERM', () => {
    void (pool?.end() ?? Promise.resolve()).finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
