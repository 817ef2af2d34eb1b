import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { z } from 'zod';
import { AppError, Invalid, fieldErrorsFromZod, type FieldError } from './problem';
import { unstorableText } from './storable-text';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json when a schema is given. */
  contentType?: string;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: Method;
  /** Express-style path, e.g. `/api/studies/:id`. */
  path: string;
  summary: string;
  tags?: string[];
  /** Security schemes for the OpenAPI document, e.g. ['session', 'bearer']. */
  security?: string[];
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  responses: Record<number, ResponseSpec>;
  middleware?: RequestHandler[];
  /**
   * Served ahead of the app-wide middleware (request log line, security headers, body
   * parsers): for a machine-to-machine route with an empty body and an empty answer whose
   * volume is high — Google's push notifications — and which counts and times itself.
   */
  ahead?: boolean;
  handler: (input: RouteInput<P, Q, B>) => unknown;
}

/**
 * Registers routes from one description that serves three purposes: the Express handler
 * with zod validation of params, query and body; a 405 with `Allow` for the other methods
 * of a known path; and the operation in the OpenAPI document.
 */
export class RouteTable {
  readonly router: Router = express.Router();
  /** The routes marked `ahead`, to mount before the app-wide middleware. */
  readonly aheadRouter: Router = express.Router();
  private readonly specs: RouteSpec<unknown, unknown, unknown>[] = [];
  private readonly methodsByPath = new Map<string, Set<string>>();
  /** Paths of the routes that answer HTML: their errors are pages too, for browsers. */
  private readonly pagePatterns: RegExp[] = [];
  private closed = false;

  add<P, Q, B>(spec: RouteSpec<P, Q, B>): void {
    if (this.closed) throw new Error('routes must be added before close()');
    this.specs.push(spec as RouteSpec<unknown, unknown, unknown>);
    const methods = this.methodsByPath.get(spec.path) ?? new Set<string>();
    methods.add(spec.method.toUpperCase());
    if (spec.method === 'get') methods.add('HEAD');
    this.methodsByPath.set(spec.path, methods);
    if (Object.values(spec.responses).some((response) => response.contentType?.startsWith('text/html'))) {
      this.pagePatterns.push(patternOf(spec.path));
    }
    // The input check runs before the route's own middleware (a session guard's redirect
    // must not answer for a request that is refused whoever sends it).
    (spec.ahead ? this.aheadRouter : this.router)[spec.method](
      spec.path,
      refuseUnstorableText,
      ...(spec.middleware ?? []),
      async (req, res) => {
        const input: RouteInput<P, Q, B> = {
          params: parse(spec.params, req.params, 'params'),
          query: parse(spec.query, req.query, 'query'),
          body: parse(spec.body, req.body, 'body'),
          req,
          res,
        };
        await spec.handler(input);
      },
    );
  }

  /** Adds the 405 answers; call once after the last `add`. */
  close(): Router {
    this.closed = true;
    for (const [path, methods] of this.methodsByPath) {
      const allow = [...methods].sort().join(', ');
      this.router.all(path, (req, res) => {
        res.setHeader('Allow', allow);
        if (req.method === 'OPTIONS') {
          res.status(204).end();
          return;
        }
        throw new AppError(405, 'Method Not Allowed', `${req.method} is not supported here; use ${allow}.`);
      });
    }
    return this.router;
  }

  routes(): readonly RouteSpec<unknown, unknown, unknown>[] {
    return this.specs;
  }

  /**
   * Whether a request path belongs to a route that answers HTML. Matched here rather than by
   * the router because the router fails before any route runs when a path parameter is not
   * valid percent-encoding, and that error deserves a page too.
   */
  servesPage(path: string): boolean {
    return this.pagePatterns.some((pattern) => pattern.test(path));
  }
}

/** `/book/:token` → /^\/book\/[^/]+\/?$/ (our paths use plain `:name` segments only). */
function patternOf(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  // Case-insensitive like the router (`caseSensitive` is off).
  return new RegExp(`^${source}/?$`, 'i');
}

/** Before any validation, so the answer names exactly the fields at fault. */
function refuseUnstorableText(req: Request, _res: Response, next: NextFunction): void {
  const undecodable = undecodableQuery(req.originalUrl);
  if (undecodable.length > 0) {
    next(new Invalid('Part of the query string is not correctly percent-encoded.', undecodable));
    return;
  }
  const errors = [
    ...unstorableText(req.params, 'params'),
    ...unstorableText(req.query, 'query'),
    ...unstorableText(req.body, 'body'),
  ];
  if (errors.length > 0) {
    next(
      new Invalid('The request contains text that cannot be stored: NUL or an unpaired surrogate.', errors),
    );
    return;
  }
  next();
}

/**
 * The query parser does not fail on `%ff` or `%ED%A0%80`: it quietly turns the bytes into
 * U+FFFD, so the value that reaches a route is not what was sent. Such a query is refused.
 */
export function undecodableQuery(url: string): FieldError[] {
  const start = url.indexOf('?');
  if (start < 0) return [];
  const errors: FieldError[] = [];
  for (const pair of url.slice(start + 1).split('&')) {
    const [name = '', value = ''] = pair.split(/=(.*)/s);
    for (const part of [name, value]) {
      try {
        decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        errors.push({ location: 'query', path: safeName(name), message: 'is not correctly percent-encoded' });
        break;
      }
    }
  }
  return errors.slice(0, 20);
}

function safeName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, location: FieldError['location']): T {
  if (!schema) return value as T;
  if (location === 'body' && value === undefined) value = {};
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new Invalid(`The request ${location} is not valid.`, fieldErrorsFromZod(result.error, location));
  }
  return result.data;
}
