import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Request, Response } from 'express';
import { z } from 'zod';
import { databaseUnavailableReason } from '../db/unavailable';
import type { Logger } from '../logger';
import { headingForStatus, prefersHtml, sendErrorPage } from '../web/error-page';

export interface FieldError {
  location: 'body' | 'query' | 'params' | 'headers';
  path: string;
  message: string;
}

/**
 * The domain errors use cases throw. Each maps to one problem+json answer (RFC 9457) in
 * `problemHandler`; anything else becomes a 500 that reveals nothing.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly problemType = 'about:blank',
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export const problemTypeBase = 'urn:interview-scheduler:problem:';

export class Invalid extends AppError {
  constructor(
    detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(400, 'Invalid request', detail, `${problemTypeBase}validation`, { errors });
  }
}
export class Unauthorized extends AppError {
  constructor(detail = 'Sign in with Google or send an API token.') {
    super(401, 'Unauthorized', detail);
  }
}
export class Forbidden extends AppError {
  constructor(detail: string) {
    super(403, 'Forbidden', detail);
  }
}
export class NotFound extends AppError {
  constructor(detail = 'Nothing exists at this address.') {
    super(404, 'Not Found', detail);
  }
}
export class Conflict extends AppError {
  constructor(detail: string, slug = 'conflict', extra: Record<string, unknown> = {}) {
    super(409, 'Conflict', detail, `${problemTypeBase}${slug}`, extra);
  }
}
export class Gone extends AppError {
  constructor(detail: string, slug = 'gone') {
    super(410, 'Gone', detail, `${problemTypeBase}${slug}`);
  }
}
export class TooManyRequests extends AppError {
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'Too Many Requests', detail);
  }
}
export class Unavailable extends AppError {
  constructor(
    detail: string,
    slug = 'unavailable',
    readonly retryAfterSeconds?: number,
  ) {
    super(503, 'Service Unavailable', detail, `${problemTypeBase}${slug}`);
  }
}

/** What a client is told to wait before trying again when the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export function sendProblem(res: Response, error: AppError, instance?: string): void {
  if (
    (error instanceof TooManyRequests || error instanceof Unavailable) &&
    error.retryAfterSeconds !== undefined
  ) {
    res.setHeader('Retry-After', String(error.retryAfterSeconds));
  }
  res
    .status(error.status)
    .type('application/problem+json')
    .json({
      type: error.problemType,
      title: error.title,
      status: error.status,
      detail: error.message,
      ...(instance ? { instance } : {}),
      ...error.extra,
    });
}

export function fieldErrorsFromZod(error: z.ZodError, location: FieldError['location']): FieldError[] {
  return error.issues.map((issue) => ({
    location,
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** What body-parser and the router attach to their errors (http-errors). */
interface HttpLibraryError {
  type?: string;
  status?: number;
  expose?: boolean;
  limit?: number;
}

/**
 * The single place where failures become HTTP answers: problem+json, or, for a browser on
 * a route that answers HTML (`servesPage`), the same answer as a page.
 */
export function problemHandler(
  logger: Logger,
  servesPage: (path: string) => boolean = () => false,
): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const databaseAway = databaseUnavailableReason(error);
    const known = toAppError(error) ?? (databaseAway ? databaseUnavailable(databaseAway) : undefined);
    if (databaseAway) {
      logger.warn(
        { err: error, requestId: res.locals.requestId, reason: databaseAway },
        'database unavailable',
      );
    } else if (!known) {
      logger.error({ err: error, requestId: res.locals.requestId }, 'unhandled error');
    }
    if (res.headersSent) return;
    const answer = known ?? new AppError(500, 'Internal Server Error', 'Something went wrong on our side.');
    if (wantsPage(req, servesPage)) {
      if (
        (answer instanceof TooManyRequests || answer instanceof Unavailable) &&
        answer.retryAfterSeconds !== undefined
      ) {
        res.setHeader('Retry-After', String(answer.retryAfterSeconds));
      }
      sendErrorPage(res, {
        status: answer.status,
        heading: headingForStatus(answer.status),
        message: known ? answer.message : 'Please try again in a few minutes.',
        ...(answer instanceof Invalid
          ? {
              details: answer.errors.map((field) =>
                field.path ? `${field.path}: ${field.message}` : field.message,
              ),
            }
          : {}),
      });
      return;
    }
    sendProblem(res, answer, known ? req.originalUrl : undefined);
  };
}

function databaseUnavailable(reason: string): Unavailable {
  return new Unavailable(
    `The database is not available right now (${reason}); try again shortly.`,
    'database-unavailable',
    DATABASE_RETRY_AFTER_SECONDS,
  );
}

function wantsPage(req: Request, servesPage: (path: string) => boolean): boolean {
  return servesPage(req.path) && prefersHtml(req);
}

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError)
    return new Invalid('The request is not valid.', fieldErrorsFromZod(error, 'body'));
  // The router decodes path parameters before any route runs and fails on `%ff`, `%E0%A4%A`…
  if (error instanceof URIError && (error as HttpLibraryError).status === 400) {
    return new Invalid(
      'Part of this address is not correctly percent-encoded. If you followed a link, check that you copied all of it.',
    );
  }
  const libraryError = error as HttpLibraryError;
  switch (libraryError?.type) {
    case 'entity.too.large':
      return new AppError(
        413,
        'Payload Too Large',
        `The request body is larger than ${libraryError.limit} bytes.`,
      );
    case 'parameters.too.many':
      return new AppError(413, 'Payload Too Large', 'The form has too many fields (more than 1000).');
    case 'entity.parse.failed':
      return new Invalid('The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'Unsupported Media Type', 'Send the body as UTF-8 JSON.');
  }
  // Any other refusal body-parser explains itself (an aborted upload, a wrong length).
  const status = libraryError?.status;
  if (libraryError?.expose === true && status !== undefined && status >= 400 && status < 500) {
    return new AppError(status, STATUS_CODES[status] ?? 'Bad Request', (error as Error).message);
  }
  return undefined;
}
