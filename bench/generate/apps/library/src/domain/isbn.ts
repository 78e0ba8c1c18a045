/** Digits only, with an ISBN-10's trailing X kept. */
export function normalizeIsbn(raw: string): string {
  return raw.replace(/[\s-]/g, '').toUpperCase();
}

export function isValidIsbn10(isbn: string): boolean {
  if (!/^\d{9}[\dX]$/.test(isbn)) return false;
  let total = 0;
  for (let i = 0; i < 10; i++) total += (isbn[i] === 'X' ? 10 : Number(isbn[i])) * (10 - i);
  return total % 11 === 0;
}

export function isValidIsbn13(isbn: string): boolean {
  if (!/^97[89]\d{10}$/.test(isbn)) return false;
  let total = 0;
  for (let i = 0; i < 13; i++) total += Number(isbn[i]) * (i % 2 === 0 ? 1 : 3);
  return total % 10 === 0;
}

/** The ISBN-13 form of a valid ISBN-10 or ISBN-13; throws on anything else. */
export function toIsbn13(raw: string): string {
  const isbn = normalizeIsbn(raw);
  if (isValidIsbn13(isbn)) return isbn;
  if (!isValidIsbn10(isbn)) throw new Error(`'${raw}' is not a valid ISBN`);
  const body = `978${isbn.slice(0, 9)}`;
  let total = 0;
  for (let i = 0; i < 12; i++) total += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return `${body}${(10 - (total % 10)) % 10}`;
}
