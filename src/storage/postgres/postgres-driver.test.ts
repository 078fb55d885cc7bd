import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postgresTypes } from './postgres-driver.ts';

test('parses int8 as a number and refuses values beyond the safe range', () => {
  const parse = postgresTypes.getTypeParser(20, 'text') as (value: string) => unknown;
  assert.equal(parse('1767225600000'), 1767225600000);
  assert.throws(() => parse('9223372036854775807'), RangeError);
});

test('leaves other types to pg', () => {
  const parseBool = postgresTypes.getTypeParser(16, 'text') as (value: string) => unknown;
  assert.equal(parseBool('t'), true);
});
