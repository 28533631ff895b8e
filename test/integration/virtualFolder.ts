// Names shared by the integration harness (which writes the workspace file) and the suite (which
// serves the folder): no `vscode` import, so the harness can load it in plain Node.

/** The scheme of the suite's in-memory file system: a workspace folder that is not on any disk. */
export const VIRTUAL_SCHEME = 'fashion-memfs';
export const VIRTUAL_FOLDER_NAME = 'In memory';
