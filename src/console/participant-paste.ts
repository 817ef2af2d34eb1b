import { z } from 'zod';
import type { NewParticipant } from '../participants/add-participants';

/** What the Participants textarea turns into: people to add, or every line that is wrong. */
export type PasteResult =
  { kind: 'participants'; participants: NewParticipant[] } | { kind: 'errors'; errors: PasteError[] };

export interface PasteError {
  /** 1-based line of the textarea; null for the paste as a whole. */
  line: number | null;
  message: string;
}

export interface PasteLimits {
  maxParticipants: number;
}

// The same rules as the API's body (POST /api/studies/:id/participants).
const Email = z.email().max(320);
const MAX_NAME = 200;

const NAME_HEADER = /^(full[ _-]?)?name$/i;
const EMAIL_HEADER = /^e-?mail([ _-]?address)?$/i;

/**
 * Reads what a researcher pasted: one `Name <email>` per line, or CSV (comma, semicolon or
 * tab separated, quotes allowed) with a header row naming the `name` and `email` columns,
 * or `name, email` rows without a header. Blank lines are skipped. An address without a
 * name is an error rather than a guess: the invitation greets the participant by name.
 */
export function parseParticipantPaste(text: string, limits: PasteLimits): PasteResult {
  const lines = text.split(/\r\n|\r|\n/).map((content, index) => ({ number: index + 1, content }));
  const filled = lines.filter((line) => line.content.trim() !== '');
  if (filled.length === 0) {
    return { kind: 'errors', errors: [{ line: null, message: 'Enter at least one participant' }] };
  }
  const header = columnsOf(filled[0]?.content ?? '');
  const rows = header ? filled.slice(1) : filled;
  if (rows.length > limits.maxParticipants) {
    return {
      kind: 'errors',
      errors: [{ line: null, message: `Add at most ${limits.maxParticipants} participants at a time` }],
    };
  }
  const errors: PasteError[] = [];
  const participants: NewParticipant[] = [];
  const firstLineOf = new Map<string, number>();
  for (const row of rows) {
    const read = header ? readCsvRow(row.content, header) : readLine(row.content);
    if ('error' in read) {
      errors.push({ line: row.number, message: `Line ${row.number}: ${read.error}` });
      continue;
    }
    const email = read.email.trim().toLowerCase();
    const name = read.name.trim();
    const problem = checkPerson(name, email, read.email.trim());
    if (problem) {
      errors.push({ line: row.number, message: `Line ${row.number}: ${problem}` });
      continue;
    }
    const earlier = firstLineOf.get(email);
    if (earlier !== undefined) {
      errors.push({
        line: row.number,
        message: `Line ${row.number}: ${email} is already on line ${earlier}`,
      });
      continue;
    }
    firstLineOf.set(email, row.number);
    participants.push({ name, email });
  }
  return errors.length > 0 ? { kind: 'errors', errors } : { kind: 'participants', participants };
}

function checkPerson(name: string, email: string, typed: string): string | undefined {
  if (!Email.safeParse(email).success) return `“${typed}” is not an email address`;
  if (name === '') return `${email} has no name; write it as Name <${email}>`;
  if (name.length > MAX_NAME) return `the name is longer than ${MAX_NAME} characters`;
  return undefined;
}

type Read = { name: string; email: string } | { error: string };

/** A line without a header row: `Name <email>`, or `name, email` in either order. */
function readLine(content: string): Read {
  const angled = /^(.*?)\s*<([^<>]*)>\s*$/.exec(content.trim());
  if (angled) return { name: unquote(angled[1] ?? ''), email: angled[2] ?? '' };
  const cells = splitCsv(content).filter((cell) => cell !== '');
  if (cells.length === 1) return { name: '', email: cells[0] ?? '' };
  if (cells.length === 2) {
    const [first = '', second = ''] = cells;
    return first.includes('@') && !second.includes('@')
      ? { name: second, email: first }
      : { name: first, email: second };
  }
  return { error: 'write one participant per line as Name <email>' };
}

function readCsvRow(content: string, columns: { name: number; email: number }): Read {
  const cells = splitCsv(content);
  const email = cells[columns.email];
  if (email === undefined || email === '') return { error: 'there is no email in the email column' };
  return { name: cells[columns.name] ?? '', email };
}

/** The header row's name and email columns, when the first line is one. */
function columnsOf(content: string): { name: number; email: number } | undefined {
  const cells = splitCsv(content);
  const name = cells.findIndex((cell) => NAME_HEADER.test(cell));
  const email = cells.findIndex((cell) => EMAIL_HEADER.test(cell));
  return name >= 0 && email >= 0 ? { name, email } : undefined;
}

/** One CSV record on one line (RFC 4180 quoting; `""` is a quote inside a quoted cell). */
function splitCsv(content: string): string[] {
  // The separator is the first of these outside quotes: a quoted name may hold a comma.
  const unquoted = content.replace(/"[^"]*"/g, '');
  const delimiter = ['\t', ';', ','].find((candidate) => unquoted.includes(candidate)) ?? ',';
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < content.length; index += 1) {
    const char = content[index];
    if (quoted) {
      if (char === '"' && content[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (char === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  cells.push(cell.trim());
  return cells;
}

function unquote(name: string): string {
  const trimmed = name.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1).replace(/""/g, '"')
    : trimmed;
}
