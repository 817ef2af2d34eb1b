import type { Request, Response } from 'express';
import { ApiError, OAuthError } from './errors';
import type { EmulatorLogger } from './logger';

/** The origin the caller used to reach the emulator (for links it hands out). */
export function originOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

export function sendApiError(res: Response, error: ApiError): void {
  if (error.code === 401)
    res.set('WWW-Authenticate', 'Bearer realm="https://accounts.google.com/", error="invalid_token"');
  res.status(error.code).json(error.toJSON());
}

export function sendOAuthError(res: Response, error: OAuthError): void {
  res.status(error.status).set('Cache-Control', 'no-store').json(error.toJSON());
}

/** Known errors become Google's JSON; anything else is Google's 500 `backendError`, logged. */
export function sendFailure(res: Response, failure: unknown, logger: EmulatorLogger): void {
  if (failure instanceof ApiError) return sendApiError(res, failure);
  if (failure instanceof OAuthError) return sendOAuthError(res, failure);
  logger.error?.({ err: failure }, 'emulator request failed');
  sendApiError(res, new ApiError(500, 'backendError', 'Backend Error'));
}

/** A single value of a query or form field (express may give arrays for repeated keys). */
export function field(source: unknown, name: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const value = (source as Record<string, unknown>)[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

export function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim() ?? field(req.query, 'access_token');
}
