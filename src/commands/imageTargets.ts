import * as vscode from 'vscode';
import { excludedPathTest } from '../shared/globPattern';
import { IMAGE_EXTENSIONS, isImagePath } from '../shared/imageFiles';

/** More images than this from one request are left out, so a click on a huge tree stays quick. */
export const MAX_IMAGES_PER_REQUEST = 200;
/** Folders deeper than this under a picked folder are not walked. */
export const MAX_FOLDER_DEPTH = 8;
/** At most this many folders are walked for one request. */
export const MAX_FOLDERS = 1_000;

/** A picture to classify, and whether a folder walk found it (then a link there is not followed). */
export interface ImageTarget {
  uri: vscode.Uri;
  walked: boolean;
}

/** The images to classify, and what the walk left out and why (for the person and the log). */
export interface ImageTargets {
  images: ImageTarget[];
  /** Sentences, one per kind of thing left out, e.g. "3 symbolic links were not followed." */
  leftOut: string[];
}

/** The image shown in the active editor tab, if any (images open in a custom editor, not a text one). */
function activeEditorImage(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) {
    return isImagePath(input.uri.path) ? input.uri : undefined;
  }
  return undefined;
}

type ExcludedTest = (uri: vscode.Uri) => boolean;

/**
 * Whether files.exclude, as it applies to `folder`, hides a path (relative to its workspace
 * folder). The setting can differ per workspace folder, not below it: one test per workspace folder.
 */
function excludedTest(folder: vscode.Uri, known: Map<string, ExcludedTest>): ExcludedTest {
  const scope = vscode.workspace.getWorkspaceFolder(folder)?.uri.toString() ?? '';
  let test = known.get(scope);
  if (!test) {
    const isExcluded = excludedPathTest(vscode.workspace.getConfiguration('files', folder).get('exclude'));
    test = (uri) => isExcluded(vscode.workspace.asRelativePath(uri, false));
    known.set(scope, test);
  }
  return test;
}

interface Walk {
  images: ImageTarget[];
  folders: number;
  links: number;
  /** Pictures hidden by files.exclude: the explorer does not show them, so they are not classified. */
  excludedImages: number;
  /** files.exclude's test per workspace folder (see excludedTest). */
  excludedTests: Map<string, ExcludedTest>;
  tooDeep: number;
  unreadable: string[];
  truncated: boolean;
  token?: vscode.CancellationToken;
}

/**
 * The images under `folder`, depth first, through workspace.fs so remote and virtual workspaces
 * work too. Symbolic links are not followed (a link could lead out of the workspace, or round in
 * a loop; the read refuses a link too, should one take a listed file's place); what files.exclude
 * hides from the explorer is left out; unreadable folders are skipped
 * and reported; depth, folder and image counts are capped.
 */
async function walkFolder(folder: vscode.Uri, depth: number, walk: Walk): Promise<void> {
  walk.folders++;
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch (error) {
    walk.unreadable.push(
      `${vscode.workspace.asRelativePath(folder)} (${error instanceof Error ? error.message : String(error)})`,
    );
    return;
  }
  entries.sort(([a], [b]) => a.localeCompare(b));
  const isExcluded = excludedTest(folder, walk.excludedTests);
  for (const [name, type] of entries) {
    if (walk.token?.isCancellationRequested || walk.truncated) {
      return;
    }
    const entry = vscode.Uri.joinPath(folder, name);
    if (isExcluded(entry)) {
      // Left out as the explorer leaves them out; only pictures are worth a word (a hidden .git
      // folder or .DS_Store is not news).
      walk.excludedImages += isImagePath(name) && !(type & vscode.FileType.Directory) ? 1 : 0;
    } else if (type & vscode.FileType.SymbolicLink) {
      walk.links++;
    } else if (type & vscode.FileType.Directory) {
      if (depth >= MAX_FOLDER_DEPTH) {
        walk.tooDeep++;
      } else if (walk.folders >= MAX_FOLDERS) {
        walk.truncated = true;
      } else {
        await walkFolder(entry, depth + 1, walk);
      }
    } else if (isImagePath(name)) {
      if (walk.images.length >= MAX_IMAGES_PER_REQUEST) {
        walk.truncated = true;
      } else {
        walk.images.push({ uri: entry, walked: true });
      }
    }
  }
}

function leftOutSentences(walk: Walk): string[] {
  const sentences: string[] = [];
  if (walk.links) {
    sentences.push(`${walk.links} symbolic link(s) were not followed.`);
  }
  if (walk.excludedImages) {
    sentences.push(`${walk.excludedImages} picture(s) hidden by the files.exclude setting were left out.`);
  }
  if (walk.tooDeep) {
    sentences.push(`${walk.tooDeep} folder(s) deeper than ${MAX_FOLDER_DEPTH} levels were not looked into.`);
  }
  if (walk.unreadable.length) {
    sentences.push(`These folders could not be read: ${walk.unreadable.join('; ')}.`);
  }
  if (walk.truncated) {
    sentences.push(
      `Only the first ${MAX_IMAGES_PER_REQUEST} pictures (in at most ${MAX_FOLDERS} folders) are classified at once; pick a smaller folder for the rest.`,
    );
  }
  return sentences;
}

/** The explorer selection expanded: image files as they are (a picked link too), folders to the images inside them. */
async function expandSelection(uris: vscode.Uri[], token?: vscode.CancellationToken): Promise<ImageTargets> {
  const walk: Walk = {
    images: [],
    folders: 0,
    links: 0,
    excludedImages: 0,
    excludedTests: new Map(),
    tooDeep: 0,
    unreadable: [],
    truncated: false,
    token,
  };
  for (const uri of uris) {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) {
      await walkFolder(uri, 0, walk);
    } else if (isImagePath(uri.path) && walk.images.length < MAX_IMAGES_PER_REQUEST) {
      walk.images.push({ uri, walked: false });
    }
  }
  return { images: walk.images, leftOut: leftOutSentences(walk) };
}

/**
 * The images "Classify image" works on: the explorer selection when run from its context menu
 * (folders stand for the images inside them), else the image in the active editor, else the
 * ones the user picks.
 */
export async function resolveImageTargets(
  clicked?: vscode.Uri,
  selection?: vscode.Uri[],
  token?: vscode.CancellationToken,
): Promise<ImageTargets> {
  const fromExplorer = selection?.length ? selection : clicked ? [clicked] : [];
  if (fromExplorer.length > 0) {
    return expandSelection(fromExplorer, token);
  }
  const active = activeEditorImage();
  if (active) {
    return { images: [{ uri: active, walked: false }], leftOut: [] };
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: true,
    openLabel: 'Classify',
    title: 'Choose images to classify',
    filters: { Images: [...IMAGE_EXTENSIONS] },
  });
  return {
    images: (picked ?? []).slice(0, MAX_IMAGES_PER_REQUEST).map((uri) => ({ uri, walked: false })),
    leftOut: [],
  };
}
