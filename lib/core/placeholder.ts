/**
 * The one `@@NAME@@` placeholder rule: user data and other templates carry
 * `@@NAME@@` tokens that the synthesizers replace (HOT `str_replace`,
 * Terraform template interpolation). A name is an uppercase letter, then
 * uppercase letters, digits and `_`. The known names and their meaning live
 * in `bootstrap/placeholders.ts`.
 */

/** A placeholder name, as a regular-expression source. */
export const PLACEHOLDER_NAME = '[A-Z][A-Z0-9_]*';

/** The text of a placeholder: `@@NAME@@`. */
export function placeholderToken(name: string): string {
  return `@@${name}@@`;
}

/** A new global pattern matching every `@@NAME@@` token, the name in group 1 (for `matchAll` and `replace`). */
export function placeholderPattern(): RegExp {
  return new RegExp(`@@(${PLACEHOLDER_NAME})@@`, 'g');
}

/** Splits `text` around its tokens: literal text at even indexes, `@@NAME@@` tokens at odd ones. */
export function splitPlaceholders(text: string): string[] {
  return text.split(new RegExp(`(@@${PLACEHOLDER_NAME}@@)`));
}

/** The name of a whole token `@@NAME@@`, else undefined. */
export function placeholderName(token: string): string | undefined {
  return new RegExp(`^@@(${PLACEHOLDER_NAME})@@$`).exec(token)?.[1];
}
