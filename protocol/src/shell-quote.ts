/**
 * A word for bash: as is when it is made only of characters no shell treats specially,
 * otherwise in single quotes (inside which nothing expands; a ' is closed, escaped, reopened).
 */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_.:/@%+=,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
