import type { RequestHandler } from 'express';
import { Invalid } from '../http/problem';
import { unstorableText } from '../http/storable-text';

/**
 * The route table refuses NUL and lone surrogates before validation, but only after a
 * route's middleware: in front of the console's session guard, whose sign-in redirect
 * would otherwise answer such a request 303 instead of 400.
 */
export const refuseUnstorableInput: RequestHandler = (req, _res, next) => {
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
};
