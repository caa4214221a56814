/**
 * Inserting the recommended exercise: the server's nbformat cells go below the graded cell,
 * marked `metadata.adaptive.injected` and without nbgrader metadata (practice is formative).
 */
import type * as nbformat from '@jupyterlab/nbformat';
import type { Notebook } from '@jupyterlab/notebook';

/** A cell of the server's answer as it may be inserted. */
export function injectable(cell: nbformat.ICell): nbformat.ICell {
  const metadata = { ...(cell.metadata ?? {}) } as Record<string, unknown>;
  delete metadata.nbgrader;
  metadata.adaptive = {
    ...((metadata.adaptive as Record<string, unknown> | undefined) ?? {}),
    injected: true
  };
  const injected: Record<string, unknown> = {
    cell_type: cell.cell_type,
    source: cell.source,
    metadata
  };
  if (cell.cell_type === 'code') {
    injected.outputs = [];
    injected.execution_count = null;
  }
  return injected as unknown as nbformat.ICell;
}

/** Insert `cells` after the cell at `index`; returns the index of the first inserted cell. */
export function insertBelow(
  notebook: Notebook,
  index: number,
  cells: readonly nbformat.ICell[]
): number {
  const model = notebook.model;
  if (!model) {
    throw new Error('The notebook has no model.');
  }
  const at = Math.min(index + 1, model.cells.length);
  model.sharedModel.insertCells(
    at,
    cells.map(cell => injectable(cell)) as Parameters<
      typeof model.sharedModel.insertCells
    >[1]
  );
  return at;
}
