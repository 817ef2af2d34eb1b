import { parseParticipantPaste, type PasteResult } from '../../src/console/participant-paste';

const parse = (text: string): PasteResult => parseParticipantPaste(text, { maxParticipants: 3 });

describe('Reading the Participants textarea', () => {
  test.each<[string, string, { name: string; email: string }[]]>([
    ['Name <email>', 'Ada Lovelace <ada@example.com>', [{ name: 'Ada Lovelace', email: 'ada@example.com' }]],
    [
      'a quoted name with a comma, capitals in the address',
      '"Lovelace, Ada" <Ada@Example.COM>',
      [{ name: 'Lovelace, Ada', email: 'ada@example.com' }],
    ],
    [
      'blank lines and stray spaces',
      '\n  Ada <ada@example.com>  \n\n\r\nGrace Hopper <grace@example.com>\n',
      [
        { name: 'Ada', email: 'ada@example.com' },
        { name: 'Grace Hopper', email: 'grace@example.com' },
      ],
    ],
    [
      'CSV with a header row, other columns and quotes',
      'id,Email,Name,notes\n1,ada@example.com,"Lovelace, Ada","said ""yes"""\n2,grace@example.com,Grace,',
      [
        { name: 'Lovelace, Ada', email: 'ada@example.com' },
        { name: 'Grace', email: 'grace@example.com' },
      ],
    ],
    [
      'a spreadsheet paste (tabs) with a header',
      'Full name\tE-mail address\nAda Lovelace\tada@example.com',
      [{ name: 'Ada Lovelace', email: 'ada@example.com' }],
    ],
    [
      'name, email rows without a header, in either order',
      'Ada Lovelace, ada@example.com\ngrace@example.com; Grace Hopper',
      [
        { name: 'Ada Lovelace', email: 'ada@example.com' },
        { name: 'Grace Hopper', email: 'grace@example.com' },
      ],
    ],
  ])('When the paste is %s, then it reads the people', (_, text, people) => {
    expect(parse(text)).toEqual({ kind: 'participants', participants: people });
  });

  test.each<[string, string, string[]]>([
    ['empty', ' \n \n', ['Enter at least one participant']],
    [
      'an address alone (no name to greet them by)',
      'Ada <ada@example.com>\nada2@example.com',
      ['Line 2: ada2@example.com has no name; write it as Name <ada2@example.com>'],
    ],
    ['not an address', 'Ada <ada@example.com>\n\nBob <bob@>', ['Line 3: “bob@” is not an email address']],
    [
      'the same address twice (in other capitals)',
      'Ada <ada@example.com>\nAda L <ADA@example.com>',
      ['Line 2: ada@example.com is already on line 1'],
    ],
    ['three cells and no header', 'a, b, c', ['Line 1: write one participant per line as Name <email>']],
    [
      'a CSV row without an email',
      'name,email\nAda,\nGrace,grace@example.com',
      ['Line 2: there is no email in the email column'],
    ],
    [
      'more than the limit',
      'a <a@x.io>\nb <b@x.io>\nc <c@x.io>\nd <d@x.io>',
      ['Add at most 3 participants at a time'],
    ],
    [
      'a name longer than 200 characters',
      `${'x'.repeat(201)} <a@x.io>`,
      ['Line 1: the name is longer than 200 characters'],
    ],
  ])('When the paste has %s, then it is refused with line-numbered errors', (_, text, messages) => {
    const result = parse(text);
    expect(result.kind).toBe('errors');
    expect(result.kind === 'errors' && result.errors.map((error) => error.message)).toEqual(messages);
  });

  test('When several lines are wrong, then every one is named, in order', () => {
    const result = parse('x <nope>\nAda <ada@example.com>\ny@');
    expect(result.kind === 'errors' && result.errors.map((error) => error.line)).toEqual([1, 3]);
  });
});
