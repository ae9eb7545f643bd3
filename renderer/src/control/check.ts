import type { z } from 'zod';

/** A protocol schema's first complaint as a sentence, or undefined when the text is fine. */
export function check(schema: z.ZodType, value: unknown): string | undefined {
  const r = schema.safeParse(value);
  if (r.success) return undefined;
  const m = r.error.issues[0]?.message ?? 'is not valid';
  return m.charAt(0).toUpperCase() + m.slice(1) + (m.endsWith('.') ? '' : '.');
}
