// A read-only file system held in memory, registered by the suite for its virtual workspace
// folder: the kind of folder GitHub Repositories or a remote file system give VS Code, where
// nothing has a local path.
import * as vscode from 'vscode';

export class MemoryFileSystem implements vscode.FileSystemProvider {
  private readonly files = new Map<string, Uint8Array>();
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;

  /** Adds a file (its folders are implied by its path) and tells the editor it is there. */
  add(uri: vscode.Uri, bytes: Uint8Array): void {
    this.files.set(uri.path, bytes);
    this.changes.fire([{ type: vscode.FileChangeType.Created, uri }]);
  }

  private isFolder(path: string): boolean {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    return [...this.files.keys()].some((file) => file.startsWith(prefix));
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const file = this.files.get(uri.path);
    if (file) {
      return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: file.byteLength };
    }
    if (uri.path === '/' || this.isFolder(uri.path)) {
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    }
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    const prefix = uri.path.endsWith('/') ? uri.path : `${uri.path}/`;
    const entries = new Map<string, vscode.FileType>();
    for (const path of this.files.keys()) {
      if (path.startsWith(prefix)) {
        const [name, ...rest] = path.slice(prefix.length).split('/');
        entries.set(name, rest.length ? vscode.FileType.Directory : vscode.FileType.File);
      }
    }
    return [...entries];
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const file = this.files.get(uri.path);
    if (!file) {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    return file;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}
