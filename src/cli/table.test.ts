import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { displayWidth, fitWidths, renderTable, sanitize, truncate } from './table.ts';

interface Row {
  readonly id: string;
  readonly name: string;
  readonly n?: number;
}
const cols = [
  { header: 'id', value: (r: Row) => r.id },
  { header: 'name', value: (r: Row) => r.name },
];

describe('displayWidth', () => {
  for (const [text, width] of [
    ['abc', 3],
    ['', 0],
    ['日本', 4],
    ['e\u0301', 1], // e + combining acute
    ['👍', 2],
    ['👩‍💻', 2],
    ['한국어', 6],
  ] as const) {
    test(`'${text}' takes ${width} cells`, () => assert.equal(displayWidth(text), width));
  }
});

describe('renderTable', () => {
  test('aligns columns under upper-case headers', () => {
    const out = renderTable(cols, [
      { id: 'a', name: 'Alpha' },
      { id: 'long-id', name: 'B' },
    ]);
    assert.equal(out, 'ID       NAME\na        Alpha\nlong-id  B\n');
  });

  test('aligns wide characters by display width', () => {
    const lines = renderTable(cols, [
      { id: '日本', name: 'x' },
      { id: 'ab', name: 'y' },
    ]).split('\n');
    assert.equal(
      displayWidth(lines[1]!.slice(0, lines[1]!.indexOf('x'))),
      displayWidth(lines[2]!.slice(0, lines[2]!.indexOf('y'))),
    );
  });

  test('right-aligns numeric columns on request and prints - for empty cells', () => {
    const out = renderTable(
      [
        { header: 'n', value: (r: Row) => r.n, align: 'right' as const },
        { header: 'name', value: (r: Row) => r.name },
      ],
      [
        { id: '', name: '', n: 5 },
        { id: '', name: 'x', n: 120 },
      ],
    );
    assert.equal(out, '  N  NAME\n  5  -\n120  x\n');
  });

  test('neutralises escape sequences and newlines from the server', () => {
    const out = renderTable(cols, [{ id: 'a', name: 'evil\u001b[2Jname\nnext' }]);
    assert.ok(!out.includes('\u001b'));
    assert.equal(out.split('\n').length, 3);
    assert.equal(sanitize('a\tb'), 'a b');
  });

  test('shrinks the widest column with an ellipsis to fit the terminal', () => {
    const out = renderTable(cols, [{ id: 'x', name: 'a very long integration name indeed' }], {
      maxWidth: 20,
    });
    for (const line of out.trimEnd().split('\n')) assert.ok(displayWidth(line) <= 20, line);
    assert.match(out, /…/);
  });

  test('never renders a line wider than the budget when the columns can shrink enough (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.string(), name: fc.string() }), { maxLength: 8 }),
        fc.integer({ min: 30, max: 120 }),
        (rows, width) => {
          const out = renderTable(cols, rows, { maxWidth: width });
          for (const line of out.trimEnd().split('\n')) assert.ok(displayWidth(line) <= width);
        },
      ),
    );
  });
});

describe('truncate and fitWidths', () => {
  test('truncate keeps short text and cuts long text to the width', () => {
    assert.equal(truncate('abc', 5), 'abc');
    assert.equal(truncate('abcdef', 4), 'abc…');
    assert.equal(truncate('日本語', 4), '日…');
  });
  test('fitWidths shrinks the widest first and respects minimums', () => {
    assert.deepEqual(fitWidths([10, 4], [2, 2], 10), [6, 4]);
    assert.deepEqual(fitWidths([10, 10], [8, 8], 4), [8, 8]);
  });
});
