// Messages are built from parts (a reason from one place, advice from another); these keep each
// part a whole sentence, so no two run together ("…limit Check that…").

/** `text` with a capital first letter and a full stop at the end (unless it ends in . ! or ?). */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') {
    return trimmed;
  }
  const capitalised = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}
