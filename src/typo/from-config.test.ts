import { expect, test } from 'vitest';
import { maskDatabase } from './from-config.js';

test('a PostgreSQL URL is shown without its password, wherever the password is', () => {
  // A ':' in the password: the whole of it is hidden, not what follows its last ':'.
  expect(maskDatabase('postgres://typos:pa:ss@db.example.org:5433/typos')).toBe(
    'postgres://typos:***@db.example.org:5433/typos',
  );
  expect(
    maskDatabase('postgresql://typos@db.example.org/typos?sslmode=require&password=s3cret'),
  ).toBe('postgresql://typos@db.example.org/typos?sslmode=require&password=***');
  expect(maskDatabase('postgres://typos@db.example.org/typos')).toBe(
    'postgres://typos@db.example.org/typos',
  );
  expect(maskDatabase('/var/lib/polyfeed/typo-reports.sqlite')).toBe(
    '/var/lib/polyfeed/typo-reports.sqlite',
  );
});
