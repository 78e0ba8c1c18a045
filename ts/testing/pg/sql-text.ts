/** Small SQL-text helpers PostgresTemplate and its reuse check share. */
import * as crypto from 'node:crypto';

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** A signed 64-bit advisory lock key (as text) from a string. */
export function lockKey(text: string): string {
  return crypto.createHash('sha256').update(text).digest().readBigInt64BE(0).toString();
}
