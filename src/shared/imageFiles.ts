// Which files "Classify image" accepts. The explorer menu's `when` clause in package.json
// encodes the same list; a unit test keeps the two in step.

export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'gif', 'bmp', 'webp'] as const;

/** True for a path or file name whose extension is one of the image types, in any letter case. */
export function isImagePath(path: string): boolean {
  const match = /\.([^./\\]+)$/.exec(path);
  return match !== null && (IMAGE_EXTENSIONS as readonly string[]).includes(match[1].toLowerCase());
}
