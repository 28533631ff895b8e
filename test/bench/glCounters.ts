// What the WebGL backend asks of the GPU while training, counted on TF.js' own rendering context:
// readbacks (each a GPU→CPU sync that drains the pipeline), shader programs linked (a GPU driver
// compiles each; after the first epoch there should be none), and texture uploads with data (a
// batch's images and labels). Software WebGL makes the same calls a GPU would get, so these
// counts hold on a user's GPU too, where the times do not.
// Typed without the DOM library, like page.ts.

/** The methods counted, as the WebGL context has them. */
interface CountedContext {
  readPixels(...args: unknown[]): void;
  linkProgram(...args: unknown[]): void;
  texImage2D(...args: unknown[]): void;
  texSubImage2D(...args: unknown[]): void;
}

export interface GlCounts {
  readbacks: number;
  programsLinked: number;
  textureUploads: number;
}

/**
 * Counts calls on `gl` from now on (by shadowing its methods on the instance). texImage2D also
 * allocates empty textures (its data argument null); only calls that carry data count.
 */
export function countGlWork(gl: object): { counts: GlCounts; snapshot(): GlCounts } {
  const context = gl as CountedContext;
  const counts: GlCounts = { readbacks: 0, programsLinked: 0, textureUploads: 0 };
  const wrap = <K extends keyof CountedContext>(name: K, count: (args: unknown[]) => void) => {
    const original = context[name].bind(context) as (...args: unknown[]) => void;
    (context as unknown as Record<K, (...args: unknown[]) => void>)[name] = (...args: unknown[]) => {
      count(args);
      return original(...args);
    };
  };
  wrap('readPixels', () => counts.readbacks++);
  wrap('linkProgram', () => counts.programsLinked++);
  const carriesData = (value: unknown) => value !== null && value !== undefined;
  // texImage2D(target, level, internalformat, width, height, border, format, type, pixels) or
  // (target, level, internalformat, format, type, source); the data is the last argument.
  wrap('texImage2D', (args) => carriesData(args.at(-1)) && counts.textureUploads++);
  wrap('texSubImage2D', (args) => carriesData(args.at(-1)) && counts.textureUploads++);
  return { counts, snapshot: () => ({ ...counts }) };
}

/** `later` minus `earlier`, counter by counter. */
export function countsBetween(earlier: GlCounts, later: GlCounts): GlCounts {
  return {
    readbacks: later.readbacks - earlier.readbacks,
    programsLinked: later.programsLinked - earlier.programsLinked,
    textureUploads: later.textureUploads - earlier.textureUploads,
  };
}
