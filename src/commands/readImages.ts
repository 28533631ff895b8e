import * as vscode from 'vscode';
import { errorMessage } from '../shared/errorMessage';
import { checkImageSize, ImageFormatError, ImageTooLargeError, readImageSize } from '../shared/imageHeader';
import type { ImageToClassify } from '../shared/resultsProtocol';
import { asSentence } from '../shared/sentences';

/** Files larger than this are not read: no garment photo needs it, and it would stall the panel. */
export const MAX_IMAGE_FILE_BYTES = 50 * 1024 * 1024;

/** The reason a picture is not classified, with advice that fits that reason. */
export function unreadableImageMessage(error: unknown): string {
  if (error instanceof ImageTooLargeError) {
    return `${asSentence(error.message)} Save a smaller copy (a few thousand pixels a side is plenty) and classify that.`;
  }
  if (error instanceof ImageFormatError) {
    return `This picture cannot be read: ${asSentence(error.message)} Check that it is a PNG, JPEG, GIF, BMP or WebP picture that opens in an image viewer.`;
  }
  return `The file could not be read: ${asSentence(errorMessage(error))} Check that it still exists and that you may read it.`;
}

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
      const megabytes = (stat.size / 1024 / 1024).toFixed(0);
      return {
        id,
        name,
        error: `The file is ${megabytes} MB; images up to 50 MB are classified. Save a smaller copy.`,
      };
    }
    const bytes = await vscode.workspace.fs.readFile(uri);
    const size = readImageSize(bytes);
    checkImageSize(size);
    // A copy that owns exactly these bytes: readFile's array may be a view into a larger buffer.
    return { id, name, bytes: bytes.slice().buffer, width: size.width, height: size.height };
  } catch (error) {
    return { id, name, error: unreadableImageMessage(error) };
  }
}
