/**
 * Short, stable digests of what a build depends on. Kept free of heavy imports: the
 * no-change check runs before the build's modules are loaded.
 */
import { createHash } from 'node:crypto';

/** A digest of the parts, in order. */
export function digest(...parts: readonly (string | number | undefined)[]): string {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(`${part ?? ''}\u0000`);
  return hash.digest('base64url');
}
