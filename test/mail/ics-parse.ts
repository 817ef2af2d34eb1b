/**
 * Just enough RFC 5545 reading to check what we write: unfolds lines (CRLF + space or tab),
 * splits each into name, parameters and value, and unescapes TEXT values.
 */
export interface IcsProperty {
  name: string;
  params: Record<string, string>;
  value: string;
}

export interface ParsedCalendar {
  calendar: IcsProperty[];
  events: IcsProperty[][];
}

export function parseIcs(source: string): ParsedCalendar {
  if (/\r(?!\n)|(?<!\r)\n/.test(source)) throw new Error('lines must end with CRLF');
  const lines = source.replace(/\r\n[ \t]/g, '').split('\r\n');
  if (lines.at(-1) !== '') throw new Error('the file must end with CRLF');
  const calendar: IcsProperty[] = [];
  const events: IcsProperty[][] = [];
  let current: IcsProperty[] | undefined;
  for (const line of lines.slice(0, -1)) {
    const property = parseLine(line);
    if (property.name === 'BEGIN' && property.value === 'VEVENT') current = [];
    else if (property.name === 'END' && property.value === 'VEVENT') {
      if (current) events.push(current);
      current = undefined;
    } else (current ?? calendar).push(property);
  }
  return { calendar, events };
}

function parseLine(line: string): IcsProperty {
  const colon = line.indexOf(':');
  if (colon < 0) throw new Error(`no value in "${line}"`);
  const [name = '', ...params] = line.slice(0, colon).split(';');
  return {
    name: name.toUpperCase(),
    params: Object.fromEntries(params.map((param) => param.split('=') as [string, string])),
    value: line.slice(colon + 1),
  };
}

export function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_match, character: string) =>
    character === 'n' || character === 'N' ? '\n' : character,
  );
}

/** 20261208T150000Z → Date. */
export function parseUtc(value: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) throw new Error(`not a UTC date-time: ${value}`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}

export function valueOf(properties: IcsProperty[], name: string): string | undefined {
  return properties.find((property) => property.name === name)?.value;
}
