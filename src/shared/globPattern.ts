// Glob patterns as VS Code's `files.exclude` setting writes them, for walking folders the way the
// explorer shows them: the extension API offers no matcher of its own. Pure, so it is unit-tested.

/** Characters with a meaning in a regular expression, written literally. */
const REGEXP_SPECIAL = /[.+^$()|\\{}[\]]/;

const MATCHES_NOTHING = /(?!)/;

/**
 * `glob` as a regular expression over a '/'-separated path relative to the workspace folder,
 * matching the whole path: `**` as a whole segment any number of folders (none included), `*` any
 * characters of one name, `?` one character, `{a,b}` either alternative, `[abc]` / `[!abc]` a
 * character class. A pattern that makes no valid expression (a range like `[z-a]`) matches
 * nothing, as in VS Code, rather than failing the walk it is used in.
 */
export function globToRegExp(pattern: string): RegExp {
  // VS Code trims patterns, and `build/` hides the folder `build`.
  const glob = pattern.trim().replace(/\/$/, '');
  let source = '';
  let openBraces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const previous = glob[i - 1];
      const next = glob[i + 2];
      const segmentStart = i === 0 || previous === '/' || (openBraces > 0 && (previous === '{' || previous === ','));
      const segmentEnd = next === undefined || next === '/' || (openBraces > 0 && (next === '}' || next === ','));
      if (!segmentStart || !segmentEnd) {
        // Inside a name, "**" is "*".
        source += '[^/]*';
        i += 1;
      } else if (next === '/') {
        // "**/": zero or more whole folders.
        source += '(?:[^/]+/)*';
        i += 2;
      } else if (previous === '/') {
        // "folder/**": the folder's contents, and the folder itself.
        source = source.slice(0, -1) + '(?:/.*)?';
        i += 1;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '{') {
      openBraces++;
      source += '(?:';
    } else if (c === '}' && openBraces > 0) {
      openBraces--;
      source += ')';
    } else if (c === ',' && openBraces > 0) {
      source += '|';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) {
        source += '\\[';
        continue;
      }
      const body = glob.slice(i + 1, end);
      const negated = body.startsWith('!') || body.startsWith('^');
      source += `[${negated ? '^' : ''}${(negated ? body.slice(1) : body).replace(/[\\\]]/g, '\\$&')}]`;
      i = end;
    } else if (REGEXP_SPECIAL.test(c)) {
      source += `\\${c}`;
    } else {
      source += c;
    }
  }
  if (openBraces > 0) {
    return MATCHES_NOTHING;
  }
  try {
    return new RegExp(`^${source}$`);
  } catch {
    return MATCHES_NOTHING;
  }
}

/**
 * A test for the paths `files.exclude` hides: the patterns set to `true`. (Patterns with a `when`
 * clause hide a file only beside a sibling of some name; they are not applied here.)
 */
export function excludedPathTest(exclude: Record<string, unknown> | undefined): (relativePath: string) => boolean {
  const patterns = Object.entries(exclude ?? {})
    .filter(([, value]) => value === true)
    .map(([pattern]) => globToRegExp(pattern));
  return (relativePath) => patterns.some((pattern) => pattern.test(relativePath));
}
