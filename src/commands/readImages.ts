import * as vscode from 'vscode';
import { errorMessage } from '../shared/errorMessage';
import { checkImageSize, ImageFormatError, ImageTooLargeError, readImageSize } from '../shared/imageHeader';
import type { ImageToClassify } from '../shared/resultsProtocol';
import { asSentence } from '../shared/sentences';
import type { ImageTarget } from './imageTargets';
import { FileTooLargeError, LinkRefusedError, readLocalFile } from './readLocalFile';

/** Files larger than this are not read: no garment photo needs it, and it would stall the panel. */
export const MAX_IMAGE_FILE_BYTES = 50 * 1024 * 1024;

function tooLargeMessage(bytes: number): string {
  const megabytes = (bytes / 1024 / 1024).toFixed(0);
  return `The file is ${megabytes} MB; images up to 50 MB are classified. Save a smaller copy.`;
}

/** The reason a picture is not classified, with advice that fits that reason. */
export function unreadableImageMessage(error: unknown): string {
  if (error instanceof FileTooLargeError) {
    return tooLargeMessage(error.bytes);
  }
  if (error instanceof LinkRefusedError) {
    return `${asSentence(error.message)} Classify the file it points to, or pick the link itself.`;
  }
  if (error instanceof ImageTooLargeError) {
    return `${asSentence(error.message)} Save a smaller copy (a few thousand pixels a side is plenty) and classify that.`;
  }
  if (error instanceof ImageFormatError) {
    return `This picture cannot be read: ${asSentence(error.message)} Check that it is a PNG, JPEG, GIF, BMP or WebP picture that opens in an image viewer.`;
  }
  return `The file could not be read: ${asSentence(errorMessage(error))} Check that it still exists and that you may read it.`;
}

/**
 * Reads one image and checks its header before the panel decodes it: an empty, corrupt or huge
 * file becomes an error for that file alone, with what to do about it. A local file is read
 * through Node (readLocalFile.ts: a walk's link refused when opened, the limit held on the bytes
 * read); any other through workspace.fs, so remote and virtual workspaces work.
 */
export async function readImageForClassification(target: ImageTarget, id: number): Promise<ImageToClassify> {
  const { uri, walked } = target;
  // Prefixed with the folder's name in a multi-root workspace, where the path alone could be either.
  const name = vscode.workspace.asRelativePath(uri);
  try {
    const bytes =
      uri.scheme === 'file'
        ? await readLocalFile(uri.fsPath, { maxBytes: MAX_IMAGE_FILE_BYTES, refuseLinks: walked })
        : await readThroughEditor(uri, walked);
    if (bytes.byteLength === 0) {
      return { id, name, error: 'The file is empty.' };
    }
    const size = readImageSize(bytes);
    checkImageSize(size);
    // A copy that owns exactly these bytes: a read's array may be a view into a larger buffer.
    return { id, name, bytes: bytes.slice().buffer, width: size.width, height: size.height };
  } catch (error) {
    return { id, name, error: unreadableImageMessage(error) };
  }
}

/** A file of a remote or virtual workspace, through the editor's file system. */
async function readThroughEditor(uri: vscode.Uri, walked: boolean): Promise<Uint8Array> {
  const stat = await vscode.workspace.fs.stat(uri);
  if (walked && stat.type & vscode.FileType.SymbolicLink) {
    throw new LinkRefusedError('It is a symbolic link, and links inside a folder are not followed.');
  }
  if (stat.size > MAX_IMAGE_FILE_BYTES) {
    throw new FileTooLargeError(stat.size);
  }
  // The editor's API reads a file whole; what arrived is what counts.
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (bytes.byteLength > MAX_IMAGE_FILE_BYTES) {
    throw new FileTooLargeError(bytes.byteLength);
  }
  return bytes;
}
