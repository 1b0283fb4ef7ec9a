/** The columns of models/labels/reframe.candidates.tsv, and its reader. */
export const COLUMNS = ['id', 'source', 'file', 'heated_ref', 'context_from', 'context_to', 'split', 'label', 'reframer_ref', 'labeller', 'notes'] as const;
export const LABELS = ['reframed', 'not_reframed', 'not_heated'] as const;
export type Label = (typeof LABELS)[number];

export interface LabelRow {
  id: string;
  split: string;
  label: Label | '';
  reframerRef: string;
  labeller: string;
  notes: string;
}

/** Rows by id; `#` lines and the header are skipped; an unknown label is an error (a typo must not pass as unlabelled). */
export function readLabels(tsv: string): Map<string, LabelRow> {
  const rows = new Map<string, LabelRow>();
  tsv.split('\n').forEach((line, index) => {
    if (!line.trim() || line.startsWith('#') || line.startsWith('id\t')) return;
    const cells = line.split('\t');
    const label = (cells[7] ?? '').trim();
    if (label && !(LABELS as readonly string[]).includes(label)) throw new Error(`line ${index + 1}: unknown label "${label}" (use ${LABELS.join(', ')})`);
    rows.set(cells[0], { id: cells[0], split: cells[6] ?? '', label: label as Label | '', reframerRef: cells[8] ?? '', labeller: cells[9] ?? '', notes: cells[10] ?? '' });
  });
  return rows;
}
