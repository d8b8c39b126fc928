import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { imageSize } from 'image-size';

const IMAGE_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
};

/** What feeds and pages need to know of a file: its size and, for images, type and pixels. */
export interface FileInfo {
  /** Bytes. */
  length: number;
  /** MIME type, for images. */
  type?: string;
  width?: number;
  height?: number;
}

/** The MIME type of an image file name or URL path, if it names an image. */
export function imageType(path: string): string | undefined {
  return IMAGE_TYPES[extname(path).toLowerCase()];
}

export async function readFileInfo(path: string): Promise<FileInfo> {
  const type = imageType(path);
  const info: FileInfo = { length: (await stat(path)).size, type };
  if (type) {
    try {
      const size = imageSize(await readFile(path));
      info.width = size.width;
      info.height = size.height;
    } catch {
      // Not a readable image: whoever uses it reports the missing size.
    }
  }
  return info;
}
