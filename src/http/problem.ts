import type { ErrorRequestHandler, Response } from 'express';
import { z } from 'zod';
import { databaseUnavailableReason } from '../db/unavailable';
import type { Logger } from '../logger';

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

const problemTypeBase = 'urn:interview-scheduler:problem:';

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

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

/** The single place where failures become HTTP answers. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = toAppError(error);
    if (known) {
      sendProblem(res, known, req.originalUrl);
      return;
    }
    const databaseAway = databaseUnavailableReason(error);
    if (databaseAway) {
      logger.warn(
        { err: error, requestId: res.locals.requestId, reason: databaseAway },
        'database unavailable',
      );
      if (res.headersSent) return;
      sendProblem(
        res,
        new Unavailable(
          `The database is not available right now (${databaseAway}); try again shortly.`,
          'database-unavailable',
          DATABASE_RETRY_AFTER_SECONDS,
        ),
        req.originalUrl,
      );
      return;
    }
    logger.error({ err: error, requestId: res.locals.requestId }, 'unhandled error');
    if (res.headersSent) return;
    sendProblem(res, new AppError(500, 'Internal Server Error', 'Something went wrong on our side.'));
  };
}

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError)
    return new Invalid('The request is not valid.', fieldErrorsFromZod(error, 'body'));
  const parserError = error as BodyParserError;
  switch (parserError?.type) {
    case 'entity.too.large':
      return new AppError(
        413,
        'Payload Too Large',
        `The request body is larger than ${parserError.limit} bytes.`,
      );
    case 'entity.parse.failed':
      return new Invalid('The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'Unsupported Media Type', 'Send the body as UTF-8 JSON.');
    default:
      return undefined;
  }
}
