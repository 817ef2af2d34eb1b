/** Just enough MIME to read what nodemailer sends: headers, and the parts of a multipart. */
export interface ParsedMail {
  headers: Map<string, string>;
  subject: string;
  text: string | undefined;
  html: string | undefined;
  /** Parts sent as attachments (Content-Disposition: attachment), decoded. */
  attachments: { filename: string; contentType: string; content: string }[];
}

export function parseMail(raw: string): ParsedMail {
  const root = parseEntity(raw);
  const parts = leaves(root);
  const isAttachment = (part: Entity) =>
    (part.headers.get('content-disposition') ?? '').toLowerCase().startsWith('attachment');
  const partOf = (type: string) =>
    parts.find((part) => part.contentType.startsWith(type) && !isAttachment(part));
  return {
    headers: root.headers,
    subject: root.headers.get('subject') ?? '',
    text: bodyOf(partOf('text/plain')),
    html: bodyOf(partOf('text/html')),
    attachments: parts.filter(isAttachment).map((part) => ({
      filename: /filename="?([^";]+)"?/i.exec(part.headers.get('content-disposition') ?? '')?.[1] ?? '',
      contentType: part.contentType,
      content: rawBodyOf(part),
    })),
  };
}

/** The non-multipart parts, however deeply nested (mixed → alternative → text, html). */
function leaves(entity: Entity): Entity[] {
  return entity.contentType.startsWith('multipart/') ? splitMultipart(entity).flatMap(leaves) : [entity];
}

/** The decoded body as sent, CRLF kept (an .ics must keep them). */
function rawBodyOf(entity: Entity): string {
  return decodeTransfer(entity.body.replace(/\r\n$/, ''), entity.headers.get('content-transfer-encoding'));
}

interface Entity {
  headers: Map<string, string>;
  contentType: string;
  body: string;
}

function parseEntity(raw: string): Entity {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, contentType: (headers.get('content-type') ?? 'text/plain').toLowerCase(), body };
}

function splitMultipart(entity: Entity): Entity[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(entity.headers.get('content-type') ?? '')?.[1];
  if (!boundary) throw new Error('multipart without a boundary');
  return entity.body
    .split(`--${boundary}`)
    .slice(1)
    .filter((chunk) => !chunk.startsWith('--'))
    .map((chunk) => parseEntity(chunk.replace(/^\r\n/, '')));
}

/** The decoded body, with SMTP's CRLF line ends turned back into LF. */
function bodyOf(entity: Entity | undefined): string | undefined {
  if (!entity) return undefined;
  const body = entity.body.replace(/\r\n$/, '');
  return decodeTransfer(body, entity.headers.get('content-transfer-encoding')).replace(/\r\n/g, '\n');
}

function decodeTransfer(body: string, encoding = '7bit'): string {
  switch (encoding.toLowerCase()) {
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    case 'base64':
      return Buffer.from(body, 'base64').toString('utf8');
    default:
      return body;
  }
}

function decodeQuotedPrintable(value: string): string {
  const bytes: number[] = [];
  const joined = value.replace(/=\r\n/g, '');
  for (let index = 0; index < joined.length; index += 1) {
    const char = joined[index]!;
    if (char === '=' && /^[0-9A-F]{2}$/i.test(joined.slice(index + 1, index + 3))) {
      bytes.push(parseInt(joined.slice(index + 1, index + 3), 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`). */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g,
      (_match, _charset: string, encoding: string, text: string) =>
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64').toString('utf8')
          : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}
