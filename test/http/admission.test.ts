import type { AddressInfo } from 'node:net';
import http from 'node:http';
import express from 'express';
import { admittedRequest, createAdmission } from '../../src/http/admission';

/** An app whose `/work/:name` requests run until the test releases them, behind the admission. */
async function gatedServer(limit: number) {
  const admission = createAdmission(limit);
  const started: string[] = [];
  const resumed: string[] = [];
  const release = new Map<string, () => void>();
  const endWait = new Map<string, () => void>();
  const app = express();
  app.get('/work/:name', admission.middleware, async (req, res) => {
    const name = String(req.params.name);
    started.push(name);
    // ?wait: first a wait between retries, during which the place is given up.
    if (req.query.wait !== undefined) {
      await admittedRequest(res)?.whileWaiting(
        () => new Promise<void>((resolve) => endWait.set(name, resolve)),
      );
      resumed.push(name);
    }
    await new Promise<void>((resolve) => release.set(name, resolve));
    res.send(name);
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = (name: string) => `http://127.0.0.1:${port}/work/${name}`;
  return {
    admission,
    started,
    resumed,
    url,
    release: (name: string) => release.get(name)?.(),
    endWait: (name: string) => endWait.get(name)?.(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

/** Waits until `condition` holds (a loaded machine may take a while), then a moment more. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in 10 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await settle();
}

describe('Bounded admission', () => {
  test('When more requests arrive than the limit, then the others wait and run in arrival order as places free up', async () => {
    const server = await gatedServer(2);
    try {
      const answers = ['a', 'b', 'c', 'd'].map((name) => fetch(server.url(name)).then((r) => r.text()));
      await until(() => server.admission.inProgress + server.admission.waiting === 4);
      expect(server.started).toEqual(['a', 'b']);
      expect(server.admission.inProgress).toBe(2);
      expect(server.admission.waiting).toBe(2);

      server.release('b');
      await until(() => server.started.length === 3);
      expect(server.started).toEqual(['a', 'b', 'c']);
      server.release('a');
      await until(() => server.started.length === 4);
      expect(server.started).toEqual(['a', 'b', 'c', 'd']);
      server.release('c');
      server.release('d');
      expect(await Promise.all(answers)).toEqual(['a', 'b', 'c', 'd']);
      await until(() => server.admission.inProgress === 0);
      expect(server.admission.inProgress).toBe(0);
      expect(server.admission.waiting).toBe(0);
    } finally {
      await server.close();
    }
  });

  test('When a waiting client goes away, then its request never runs and its place in line is given up', async () => {
    const server = await gatedServer(1);
    try {
      const first = fetch(server.url('first')).then((r) => r.text());
      await until(() => server.started.length === 1);
      const gone = new AbortController();
      const abandoned = fetch(server.url('abandoned'), { signal: gone.signal }).catch(() => 'aborted');
      await until(() => server.admission.waiting === 1);
      const last = fetch(server.url('last')).then((r) => r.text());
      await until(() => server.admission.waiting === 2);

      gone.abort();
      expect(await abandoned).toBe('aborted');
      await until(() => server.admission.waiting === 1);
      server.release('first');
      await until(() => server.started.length === 2);
      expect(server.started).toEqual(['first', 'last']);
      server.release('last');
      expect([await first, await last]).toEqual(['first', 'last']);
    } finally {
      await server.close();
    }
  });

  test('When an admitted client goes away before its answer, then its place goes to the next one', async () => {
    const server = await gatedServer(1);
    try {
      const gone = new AbortController();
      const abandoned = fetch(server.url('abandoned'), { signal: gone.signal }).catch(() => 'aborted');
      await until(() => server.started.length === 1);
      const next = fetch(server.url('next')).then((r) => r.text());
      await until(() => server.admission.waiting === 1);
      expect(server.started).toEqual(['abandoned']);

      gone.abort();
      expect(await abandoned).toBe('aborted');
      await until(() => server.started.length === 2);
      expect(server.started).toEqual(['abandoned', 'next']);
      server.release('next');
      expect(await next).toBe('next');
      server.release('abandoned');
    } finally {
      await server.close();
    }
  });

  test('When an admitted request waits between retries, then its place goes to the next one and it takes it back ahead of those not started', async () => {
    const server = await gatedServer(1);
    try {
      const retrying = fetch(`${server.url('retrying')}?wait`).then((r) => r.text());
      await until(() => server.started.length === 1);
      const second = fetch(server.url('second')).then((r) => r.text());
      await until(() => server.started.length === 2);
      expect(server.admission.inProgress).toBe(1);
      const third = fetch(server.url('third')).then((r) => r.text());
      await until(() => server.admission.waiting === 1);

      server.endWait('retrying');
      await until(() => server.admission.waiting === 2);
      expect(server.resumed).toEqual([]);
      server.release('second');
      await until(() => server.resumed.length === 1);
      expect(server.resumed).toEqual(['retrying']);
      expect(server.started).toEqual(['retrying', 'second']);
      server.release('retrying');
      await until(() => server.started.length === 3);
      server.release('third');
      expect(await Promise.all([retrying, second, third])).toEqual(['retrying', 'second', 'third']);
      await until(() => server.admission.inProgress === 0);
      expect(server.admission.waiting).toBe(0);
    } finally {
      await server.close();
    }
  });

  test('When a client goes away while its request waits between retries, then the work goes on and no place is lost', async () => {
    const server = await gatedServer(1);
    try {
      const gone = new AbortController();
      const abandoned = fetch(`${server.url('abandoned')}?wait`, { signal: gone.signal }).catch(
        () => 'aborted',
      );
      await until(() => server.started.length === 1);
      const other = fetch(server.url('other')).then((r) => r.text());
      await until(() => server.started.length === 2);
      server.endWait('abandoned');
      await until(() => server.admission.waiting === 1);

      gone.abort();
      expect(await abandoned).toBe('aborted');
      await until(() => server.resumed.length === 1);
      expect(server.admission.waiting).toBe(0);
      expect(server.admission.inProgress).toBe(1);
      server.release('abandoned');
      server.release('other');
      expect(await other).toBe('other');
      await until(() => server.admission.inProgress === 0);
      expect(server.admission.inProgress).toBe(0);
    } finally {
      await server.close();
    }
  });

  test('When the limit is not a whole number of at least 1, then no admission is made', () => {
    expect(() => createAdmission(0)).toThrow('whole number');
    expect(() => createAdmission(1.5)).toThrow('whole number');
  });
});
