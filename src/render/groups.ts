/**
 * The groups files are planned in (see OutputJob.group): an incremental rebuild plans only
 * the groups its changed stories belong to.
 */
import type { RenderContext } from './output.js';

/** The files of a listing: its index pages and feeds, and its archives. */
export const listingGroup = (folder: string): string => `listing:${folder}`;

/**
 * The files of one story: its articles' pages. The group is the story's id as it is: a
 * folder name has no `/`, which every listing's group has, and a site has tens of
 * thousands of pages to ask about.
 */
export const storyGroup = (storyId: string): string => storyId;

/** Whether an output is to plan the files of `group`: always, unless the build is incremental. */
export function isPlanned(context: RenderContext, group: string): boolean {
  return context.only === undefined || context.only.has(group);
}
