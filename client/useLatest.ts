// A ref that always holds the latest value: for map event handlers registered once that must read
// the current props and state.
import { useRef, type MutableRefObject } from 'react';

export function useLatest<T>(value: T): MutableRefObject<T> {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
