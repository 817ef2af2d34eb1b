import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';
import type { RouteTable } from '../http/route-table';

export interface StaticAsset {
  /** The URL path it is served at. */
  path: string;
  contentType: string;
  body: Buffer;
  /** A short hash of the content: the `?v=` the pages link with, and the ETag. */
  version: string;
}

/** Read once at start from `directory` (next to the module that serves it): the files never change while the process runs. */
export function loadAsset(
  directory: string,
  file: string,
  urlPath: string,
  contentType: string,
): StaticAsset {
  const body = fs.readFileSync(path.join(directory, file));
  const version = createHash('sha256').update(body).digest('base64url').slice(0, 16);
  return { path: urlPath, contentType, body, version };
}

/** The URL a page links to: it changes whenever the content does. */
export const versionedUrl = (asset: StaticAsset): string => `${asset.path}?v=${asset.version}`;

/**
 * A link with the current version may be cached for good (a new version is a new URL);
 * any other request (an old page, a hand-typed URL) must revalidate, and gets a 304 when
 * its ETag still matches.
 */
export function sendAsset(req: Request, res: Response, asset: StaticAsset): void {
  const current = req.query.v === asset.version;
  res.setHeader(
    'Cache-Control',
    current ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
  );
  res.setHeader('ETag', `"${asset.version}"`);
  res.type(asset.contentType);
  // Express answers 304 itself when If-None-Match matches the ETag set above.
  res.send(asset.body);
}

/** A GET route for one asset, listed in the OpenAPI document under `tag`. */
export function registerAsset(table: RouteTable, asset: StaticAsset, summary: string, tag: string): void {
  table.add({
    method: 'get',
    path: asset.path,
    summary,
    tags: [tag],
    responses: {
      200: { description: summary, contentType: asset.contentType.split(';')[0] },
      304: { description: 'Not modified (ETag)' },
    },
    handler: ({ req, res }) => sendAsset(req, res, asset),
  });
}
