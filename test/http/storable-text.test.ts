import { unstorableText } from '../../src/http/storable-text';

describe('Text that cannot be stored', () => {
  test('When a string anywhere holds NUL or an unpaired surrogate, then each is named by its path', () => {
    const body = {
      title: 'fine',
      participants: [{ name: 'Ann\u0000Lee' }, { name: 'ok 😀' }, { name: 'x\udc00' }],
      note: '\ud83d',
    };
    expect(unstorableText(body, 'body')).toEqual(
      expect.arrayContaining([
        {
          location: 'body',
          path: 'participants.0.name',
          message: 'must not contain the NUL character (U+0000)',
        },
        {
          location: 'body',
          path: 'participants.2.name',
          message: expect.stringMatching(/unpaired surrogate/),
        },
        { location: 'body', path: 'note', message: expect.stringMatching(/unpaired surrogate/) },
      ]),
    );
    expect(unstorableText(body, 'body')).toHaveLength(3);
  });

  test('When text is well-formed (emoji pairs, other control characters), then nothing is refused', () => {
    expect(unstorableText({ a: '😀 \t\u0001 \uffff', b: ['\ud83d\ude00'], c: 1, d: null }, 'body')).toEqual(
      [],
    );
  });

  test('When a key holds NUL, then the object holding it is named', () => {
    expect(unstorableText({ outer: { ['k\u0000']: 1 } }, 'body')).toEqual([
      {
        location: 'body',
        path: 'outer',
        message: 'a field name must not contain the NUL character (U+0000)',
      },
    ]);
  });

  test('When a body is nested 10,000 levels deep, then the walk neither overflows nor takes long', () => {
    let deep: unknown = '\u0000';
    for (let level = 0; level < 10_000; level++) deep = { a: deep };
    const started = Date.now();
    const errors = unstorableText(deep, 'body');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path.split('.')).toHaveLength(10_000);
    // Linear: milliseconds here; a quadratic walk would take minutes. Loose for busy machines.
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
