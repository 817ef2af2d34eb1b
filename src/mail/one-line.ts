/**
 * Names and titles come from researchers; line breaks and other control characters would
 * break the subject header or the layout of the text, so they become single spaces.
 */
export function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const controls = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
  return value.replace(controls, ' ').replace(/\s+/g, ' ').trim();
}
