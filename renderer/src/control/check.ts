import type { z } from 'zod';

/**
 * A protocol schema's first complaint as a sentence, or undefined when the text is fine.
 * Some messages have no subject ("must be a CIDR…"): `subject` gives them one.
 */
export function check(schema: z.ZodType, value: unknown, subject?: string): string | undefined {
  const r = schema.safeParse(value);
  if (r.success) return undefined;
  let m = r.error.issues[0]?.message ?? 'is not valid';
  if (subject && /^(must|is|may) /.test(m)) m = `${subject} ${m}`;
  return m.charAt(0).toUpperCase() + m.slice(1) + (m.endsWith('.') ? '' : '.');
}
