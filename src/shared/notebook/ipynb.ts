// A Jupyter notebook as plain data, in nbformat 4.5 (the version that gives every cell an id), and
// its JSON text as Jupyter writes it. Pure: the host writes the text to a file, or hands the cells
// to the editor as an untitled notebook; unit tests read it back.

export const NBFORMAT = 4;
export const NBFORMAT_MINOR = 5;

interface CellBase {
  /** nbformat 4.5: 1-64 characters of letters, digits, `-` and `_`, unique in the notebook. */
  id: string;
  metadata: Record<string, unknown>;
  /** The cell's text as lines, each but the last ending in "\n" (Jupyter's own layout). */
  source: string[];
}

export interface MarkdownCell extends CellBase {
  cell_type: 'markdown';
}

export interface CodeCell extends CellBase {
  cell_type: 'code';
  execution_count: null;
  outputs: [];
}

export type Cell = MarkdownCell | CodeCell;

export interface Notebook {
  nbformat: typeof NBFORMAT;
  nbformat_minor: typeof NBFORMAT_MINOR;
  metadata: {
    kernelspec: { name: string; display_name: string; language: string };
    language_info: { name: string };
  };
  cells: Cell[];
}

const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;

/** Jupyter's layout of a cell's text: one string per line, the newline kept on all but the last. */
function sourceLines(text: string): string[] {
  const lines = text.replace(/\n+$/, '').split('\n');
  return lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line));
}

function checkId(id: string): string {
  if (!CELL_ID.test(id)) {
    throw new RangeError(`"${id}" is not an nbformat cell id.`);
  }
  return id;
}

export function markdownCell(id: string, text: string): MarkdownCell {
  return { cell_type: 'markdown', id: checkId(id), metadata: {}, source: sourceLines(text) };
}

export function codeCell(id: string, text: string): CodeCell {
  return {
    cell_type: 'code',
    id: checkId(id),
    metadata: {},
    source: sourceLines(text),
    execution_count: null,
    outputs: [],
  };
}

/** A notebook for a Python 3 kernel. Cell ids must be unique. */
export function pythonNotebook(cells: Cell[]): Notebook {
  const ids = new Set(cells.map((cell) => cell.id));
  if (ids.size !== cells.length) {
    throw new RangeError('Two cells of the notebook have the same id.');
  }
  return {
    nbformat: NBFORMAT,
    nbformat_minor: NBFORMAT_MINOR,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python' },
    },
    cells,
  };
}

/** The .ipynb file's text: JSON indented by one space and ending in a newline, as Jupyter saves it. */
export function notebookText(notebook: Notebook): string {
  return `${JSON.stringify(notebook, null, 1)}\n`;
}

/** A cell's text as one string. */
export function cellText(cell: Cell): string {
  return cell.source.join('');
}
