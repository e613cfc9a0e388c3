/**
 * The README's library snippets are the consumer programs in test/consumer/,
 * which CI compiles and runs in a project that installed the packed tarball
 * (scripts/ci-consumer.sh). A README block marked `<!-- file: PATH -->` must
 * equal that file, so neither can change without the other.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const QUOTED = [...README.matchAll(/<!-- file: (\S+) -->\s*```\w*\n([\s\S]*?)```/g)].map((m) => ({ file: m[1], body: m[2] }));

test('the README quotes the consumer programs that CI runs', () => {
  expect(QUOTED.map((q) => q.file).sort()).toEqual(['test/consumer/hot.js', 'test/consumer/main.ts']);
});

test.each(QUOTED.map((q) => [q.file, q.body]))('README block %s equals the file', (file, body) => {
  expect(body).toBe(fs.readFileSync(path.join(ROOT, file), 'utf8'));
});
