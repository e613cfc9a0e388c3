import { escapeTemplate, inner, top } from '../../../lib/synth/terraform/expressions';
import { Join, Sub } from '../../../lib';

const ctx: any = { names: {}, where: '[test]' };

test('literal ${ and %{ are escaped in Terraform templates', () => {
  expect(escapeTemplate('echo ${HOME} %{x}')).toBe('echo $${HOME} %%{x}');
  expect(top('a ${b}', ctx)).toBe('a $${b}');
});

test('a Sub writes literals into the text and keeps expressions as interpolations', () => {
  const s = new Sub('port=@@PORT@@ name=@@NAME@@ ${keep}', { PORT: 6443, NAME: new Join('-', ['a', 'b']) });
  expect(s.template).toBe('port=6443 name=@@NAME@@ ${keep}');
  expect(top(s, ctx)).toBe('port=6443 name=${join("-", ["a", "b"])} $${keep}');
});

test('HCL string literals escape quotes, backslashes, newlines and template sigils', () => {
  expect(inner('a"b\\c\nd${e}', ctx)).toBe('"a\\"b\\\\c\\nd$${e}"');
});
