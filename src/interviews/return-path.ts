/**
 * Where a quick-action form on these pages asks to come back to. Only these pages' own
 * paths (and a cursor of the same shape) are followed, never another address: an open
 * redirect would let a crafted form send the researcher anywhere.
 */
export function interviewsReturnPath(posted: unknown): string | undefined {
  if (typeof posted !== 'string') return undefined;
  return /^\/interviews\/(upcoming|past)(\?cursor=[A-Za-z0-9_-]{1,200})?$/.test(posted) ? posted : undefined;
}
