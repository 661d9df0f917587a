// The undo / redo stack of the grid editor (client/editor/undoStack.ts).
import { describe, expect, it } from 'vitest';
import { canRedo, canUndo, createStack, push, redo, reset, undo, undoRedoKey } from '../../client/editor/undoStack.js';

describe('undo stack', () => {
  it('undoes and redoes in order, and a new edit clears redo', () => {
    let s = createStack('a');
    expect(canUndo(s)).toBe(false);
    s = push(s, 'b');
    s = push(s, 'c');
    expect(s.present).toBe('c');
    s = undo(s);
    expect(s.present).toBe('b');
    s = undo(s);
    expect(s.present).toBe('a');
    expect(canUndo(s)).toBe(false);
    expect(undo(s)).toBe(s);
    s = redo(s);
    expect(s.present).toBe('b');
    expect(canRedo(s)).toBe(true);
    s = push(s, 'x');
    expect(canRedo(s)).toBe(false);
    expect(s.past).toEqual(['a', 'b']);
    expect(redo(s)).toBe(s);
  });

  it('keeps at most `limit` past states and ignores pushing the same state', () => {
    let s = createStack(0);
    for (let i = 1; i <= 10; i++) s = push(s, i, 3);
    expect(s.past).toEqual([7, 8, 9]);
    expect(push(s, s.present)).toBe(s);
    expect(reset(42)).toEqual({ past: [], present: 42, future: [] });
  });

  it('never mutates an earlier stack', () => {
    const s1 = push(createStack(1), 2);
    const s2 = undo(s1);
    expect(s1.present).toBe(2);
    expect(s2.present).toBe(1);
    expect(s1.future).toEqual([]);
  });

  it('reads Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y and ⌘', () => {
    const k = (key: string, o: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }> = {}) =>
      undoRedoKey({ key, ctrlKey: false, metaKey: false, shiftKey: false, ...o });
    expect(k('z', { ctrlKey: true })).toBe('undo');
    expect(k('Z', { ctrlKey: true, shiftKey: true })).toBe('redo');
    expect(k('y', { ctrlKey: true })).toBe('redo');
    expect(k('z', { metaKey: true })).toBe('undo');
    expect(k('z')).toBeNull();
  });
});
