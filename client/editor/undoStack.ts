// Undo / redo of editing states, as an immutable value: every operation returns a new stack.
// `present` is what the map shows; `past` the states before it (oldest first), `future` the states
// undone (next redo first).

export interface UndoStack<T> {
  readonly past: readonly T[];
  readonly present: T;
  readonly future: readonly T[];
}

export const DEFAULT_LIMIT = 200;

export function createStack<T>(present: T): UndoStack<T> {
  return { past: [], present, future: [] };
}

/** A new state: the current one goes to the past (at most `limit` kept), redo is cleared. */
export function push<T>(stack: UndoStack<T>, next: T, limit = DEFAULT_LIMIT): UndoStack<T> {
  if (Object.is(next, stack.present)) return stack;
  const past = [...stack.past, stack.present];
  return { past: past.length > limit ? past.slice(past.length - limit) : past, present: next, future: [] };
}

export function undo<T>(stack: UndoStack<T>): UndoStack<T> {
  if (!stack.past.length) return stack;
  return { past: stack.past.slice(0, -1), present: stack.past[stack.past.length - 1], future: [stack.present, ...stack.future] };
}

export function redo<T>(stack: UndoStack<T>): UndoStack<T> {
  if (!stack.future.length) return stack;
  return { past: [...stack.past, stack.present], present: stack.future[0], future: stack.future.slice(1) };
}

export const canUndo = (stack: UndoStack<unknown>): boolean => stack.past.length > 0;
export const canRedo = (stack: UndoStack<unknown>): boolean => stack.future.length > 0;

/** Back to a single state (cancel, or after a save). */
export function reset<T>(present: T): UndoStack<T> {
  return createStack(present);
}

/** Is this key event undo / redo (Ctrl/⌘+Z, Ctrl/⌘+Shift+Z, Ctrl+Y)? */
export function undoRedoKey(e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }): 'undo' | 'redo' | null {
  if (!(e.ctrlKey || e.metaKey)) return null;
  const k = e.key.toLowerCase();
  if (k === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (k === 'y') return 'redo';
  return null;
}
