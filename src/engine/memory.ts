/**
 * Keeping a big build's memory bounded. Between collections V8 lets its heap grow to a
 * multiple of the live data (up to 4× for a program that allocates fast, as a build does:
 * every page and feed is made and dropped). At 5,000 stories that was 1.9–2.2 GiB of RSS
 * for about 600 MiB of live data. For a site of LARGE_SITE stories or more, the heap may
 * grow by 25% at a time instead: at 5,000 stories (one thread) about 1 GiB, for ~10% more
 * CPU, when article bodies were strings. Since they are bytes outside the heap (see
 * content/body.ts), the default two threads take 930 MiB at 5,000 stories with this
 * bound; without it 1.43 GiB (in 20% less time), with 35% or 50% 1.04 and 1.10 GiB.
 * Smaller sites, whose builds stay well under 1 GiB anyway, keep V8's pace.
 *
 * It has to be decided before the heap grows: V8 reads `--heap-growing-percent` at every
 * collection but does not take back a limit it has already raised (set half-way through a
 * 5,000-story build, it changed nothing). The flag is process-wide, so it covers the
 * worker thread too, and stays for the rest of the process (the dev server's rebuilds).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { ARTICLES_FOLDER } from '../load/load-stories.js';

const LARGE_SITE = 2000;
const GROWTH_PERCENT = 25;

let bounded = false;

/**
 * Bounds heap growth when `root` has LARGE_SITE story folders or more (once per process);
 * says whether the heap is bounded now.
 */
export function boundHeapGrowthForLargeSites(root: string): boolean {
  if (bounded) return true;
  let stories = 0;
  try {
    stories = readdirSync(join(root, ARTICLES_FOLDER)).length;
  } catch {
    return false; // no articles folder: loading reports it
  }
  if (stories < LARGE_SITE) return false;
  bounded = true;
  setFlagsFromString(`--heap-growing-percent=${GROWTH_PERCENT}`);
  return true;
}
