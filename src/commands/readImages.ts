import * as vscode from 'vscode';
import { checkImageSize, readImageSize } from '../shared/imageHeader';
import type { ImageToClassify } from '../shared/resultsProtocol';
import { errorMessage } from '../shared/errorMessage';

/** Files larger than this are not read: no garment photo needs it, and it would stall the panel. */
export const MAX_IMAGE_FILE_BYTES = 50 * 1024 * 1024;

/**
 * Reads one image through workspace.fs (so remote and virtual workspaces work) and checks its
 * header before the panel decodes it: an empty, corrupt or huge file becomes an error for that
 * file alone, with what to do about it.
 */
export async function readImageForClassification(uri: vscode.Uri, id: number): Promise<ImageToClassify> {
  // Prefixed with the folder's name in a multi-root workspace, where the path alone could be either.
  const name = vscode.workspace.asRelativePath(uri);
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size === 0) {
      return { id, name, error: 'The file is empty.' };
    }
    if (stat.size > MAX_IMAGE_FILE_BYTES) {
      return {
        id,
        name,
        error: `The file is ${(stat.size / 1024 / 1024).toFixed(0)} MB; images up to 50 MB are classified. Save a smaller copy.`,
      };
    }
    const bytes = await vscode.workspace.fs.readFile(uri);
    const size = readImageSize(bytes);
    checkImageSize(size);
    // A copy that owns exactly these bytes: readFile's array may be a view into a larger buffer.
    return { id, name, bytes: bytes.slice().buffer, width: size.width, height: size.height };
  } catch (error) {
    return { id, name, error: `${errorMessage(error)} Check that it is a PNG, JPEG, GIF, BMP or WebP picture.` };
  }
}
