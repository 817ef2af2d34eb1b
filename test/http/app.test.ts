import request from 'supertest';
import { createKnex } from '../../src/db/knex';
import { createMetrics } from '../../src/http/metrics';
import { buildTestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('The HTTP app', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  test('When the process is up, then /healthz answers ok', async () => {
    const res = await request(buildTestApp(db.knex)).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('When the database is migrated, then /readyz is ready', async () => {
    const res = await request(buildTestApp(db.knex)).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'current' } });
  });

  test('When a migration has not run, then /readyz answers 503 problem+json', async () => {
    await db.knex.raw('CREATE DATABASE ' + `unmigrated_${process.pid}`);
    const url = new URL(db.url);
    url.pathname = `/unmigrated_${process.pid}`;
    const unmigrated = createKnex(url.toString(), 1);
    try {
      const res = await request(buildTestApp(unmigrated)).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.type).toBe('application/problem+json');
      expect(res.body).toMatchObject({ status: 503, detail: 'Database migrations are pending.' });
    } finally {
      await unmigrated.destroy();
      await db.knex.raw(`DROP DATABASE unmigrated_${process.pid}`);
    }
  });

  test('When the database cannot be reached, then /readyz answers 503 saying why, with Retry-After', async () => {
    const unreachable = createKnex('postgres://nobody@127.0.0.1:1/none', 1);
    try {
      const res = await request(buildTestApp(unreachable)).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.type).toBe('application/problem+json');
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.detail).toBe('Not ready: the database connection failed (ECONNREFUSED).');
    } finally {
      await unreachable.destroy();
    }
  });

  test('When a path is unknown, then the answer is a 404 problem', async () => {
    const res = await request(buildTestApp(db.knex)).get('/no/such/page');
    expect(res.status).toBe(404);
    expect(res.type).toBe('application/problem+json');
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Nothing exists at this address.',
      instance: '/no/such/page',
    });
  });

  test('When a known path gets the wrong method, then 405 lists the allowed ones', async () => {
    const res = await request(buildTestApp(db.knex)).delete('/healthz');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.body.title).toBe('Method Not Allowed');
  });

  test('When the body is not JSON, then 400 says so', async () => {
    const res = await request(buildTestApp(db.knex))
      .post('/healthz')
      .set('Content-Type', 'application/json')
      .send('{"broken":');
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe('The request body is not valid JSON.');
  });

  test('When the body is over the limit, then 413 answers before anything runs', async () => {
    const res = await request(buildTestApp(db.knex))
      .post('/healthz')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(20_000) }));
    expect(res.status).toBe(413);
    expect(res.type).toBe('application/problem+json');
  });

  test('When something breaks inside, then 500 reveals no stack or message', async () => {
    const metrics = createMetrics();
    metrics.registry.metrics = async () => {
      throw new Error('secret internal detail at /src/whatever.ts:12');
    };
    const res = await request(buildTestApp(db.knex, { metrics })).get('/metrics');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'Something went wrong on our side.',
    });
    expect(res.text).not.toContain('secret internal detail');
  });

  test('When a request carries an X-Request-Id, then it is echoed; otherwise one is made', async () => {
    const app = buildTestApp(db.knex);
    const given = await request(app).get('/healthz').set('X-Request-Id', 'abc-123');
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await request(app).get('/healthz').set('X-Request-Id', 'bad id with spaces');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('When requests were served, then /metrics counts them by route pattern', async () => {
    const app = buildTestApp(db.knex);
    await request(app).get('/healthz');
    await request(app).get('/no/such/page');
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('http_requests_total{method="GET",route="/healthz",status="200"} 1');
    expect(res.text).toContain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(res.text).toContain('http_request_duration_seconds_bucket');
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });

  test('When asked for /openapi.json, then it describes the routes', async () => {
    const res = await request(buildTestApp(db.knex)).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/metrics']));
    expect(res.body.paths['/healthz'].get.responses['200'].content['application/json'].schema).toMatchObject({
      type: 'object',
      properties: { status: { const: 'ok' } },
    });
  });

  test('When any page is served, then helmet security headers are set', async () => {
    const res = await request(buildTestApp(db.knex)).get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
