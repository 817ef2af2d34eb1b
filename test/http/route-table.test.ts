import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { createLogger } from '../../src/logger';
import { buildOpenApiDocument } from '../../src/http/openapi';
import { problemHandler } from '../../src/http/problem';
import { RouteTable, undecodableQuery } from '../../src/http/route-table';

function appWithThingsRoute() {
  const table = new RouteTable();
  const received: unknown[] = [];
  table.add({
    method: 'post',
    path: '/things/:id',
    summary: 'Create a thing',
    params: z.object({ id: z.uuid() }),
    query: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
    body: z.strictObject({ name: z.string().min(1), size: z.number().int().positive() }),
    responses: { 201: { description: 'Created', schema: z.object({ ok: z.boolean() }) } },
    handler: ({ params, query, body, res }) => {
      received.push({ params, query, body });
      res.status(201).json({ ok: true });
    },
  });
  const app = express();
  app.use(express.json());
  app.use(table.close());
  app.use(problemHandler(createLogger('silent')));
  return { app, table, received };
}

const id = '5b0c1f57-43a4-4d8f-9d0d-3a3bb1d6b0a1';

describe('Routes described once', () => {
  test('When the input is valid, then the handler gets parsed values', async () => {
    const { app, received } = appWithThingsRoute();
    const res = await request(app).post(`/things/${id}?dryRun=true`).send({ name: 'a', size: 2 });
    expect(res.status).toBe(201);
    expect(received).toEqual([{ params: { id }, query: { dryRun: 'true' }, body: { name: 'a', size: 2 } }]);
  });

  test('When body fields are wrong or unknown, then 400 lists each field and the handler never runs', async () => {
    const { app, received } = appWithThingsRoute();
    const res = await request(app).post(`/things/${id}`).send({ name: '', size: -1, colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.type).toBe('urn:interview-scheduler:problem:validation');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ location: 'body', path: 'name' }),
        expect.objectContaining({ location: 'body', path: 'size' }),
        expect.objectContaining({ location: 'body', message: expect.stringContaining('colour') }),
      ]),
    );
    expect(received).toEqual([]);
  });

  test('When a path parameter is malformed, then 400 names it', async () => {
    const { app } = appWithThingsRoute();
    const res = await request(app).post('/things/not-a-uuid').send({ name: 'a', size: 1 });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ location: 'params', path: 'id' });
  });

  test('When another method is used on the path, then 405 with Allow; OPTIONS gets 204', async () => {
    const { app } = appWithThingsRoute();
    const wrong = await request(app).get(`/things/${id}`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
    const options = await request(app).options(`/things/${id}`);
    expect(options.status).toBe(204);
    expect(options.headers.allow).toBe('POST');
  });

  test('When the OpenAPI document is built, then it comes from the same schemas', () => {
    const { table } = appWithThingsRoute();
    const doc = buildOpenApiDocument(table.routes(), {
      title: 't',
      version: '1',
      description: 'd',
      serverUrl: 'http://localhost',
    });
    const operation = (doc.paths['/things/{id}'] as Record<string, any>).post; // eslint-disable-line @typescript-eslint/no-explicit-any -- a JSON document
    expect(operation.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
      expect.objectContaining({ name: 'dryRun', in: 'query', required: false }),
    ]);
    expect(operation.requestBody.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['name', 'size'],
      additionalProperties: false,
    });
  });
});

describe('Which paths are pages', () => {
  test('When a route documents an HTML answer, then servesPage matches its path with any parameter, and no other path', () => {
    const table = new RouteTable();
    const noop = () => undefined;
    table.add({
      method: 'get',
      path: '/book/:token',
      summary: 'A page',
      responses: { 200: { description: 'Page', contentType: 'text/html' } },
      handler: noop,
    });
    table.add({
      method: 'get',
      path: '/api/booking/:token',
      summary: 'JSON',
      responses: { 200: { description: 'JSON', schema: z.object({}) } },
      handler: noop,
    });

    expect(table.servesPage('/book/%E0%A4%A')).toBe(true);
    expect(table.servesPage('/Book/abc/')).toBe(true);
    expect(table.servesPage('/book/abc/extra')).toBe(false);
    expect(table.servesPage('/api/booking/abc')).toBe(false);
  });
});

describe('Query strings that are not valid percent-encoding', () => {
  test.each([
    ['/?returnTo=%ED%A0%80', ['returnTo']],
    ['/x?a=1&b=%ff&c=%E0%A4%A', ['b', 'c']],
    ['/x?%ff=1', ['%ff']],
    ['/x?q=a+b%20c&d=%C3%A9', []],
    ['/x', []],
  ])('%s → errors on %j', (url, names) => {
    expect(undecodableQuery(url).map((error) => error.path)).toEqual(names);
  });
});
