// Find a township, village or grid by name or code (GET /api/search?q=) and fly to it. Typing
// waits 250 ms before asking; arrow keys and Enter pick a result, Escape closes the list.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ApiClient, SearchResult } from '../api/client.js';
import { useT, type MessageKey } from '../i18n/index.js';

export interface SearchBoxProps {
  api: ApiClient;
  onSelect: (result: SearchResult) => void;
  debounceMs?: number;
}

export function SearchBox({ api, onSelect, debounceMs = 250 }: SearchBoxProps) {
  const t = useT();
  const listId = useId();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<SearchResult[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const query = q.trim();
    if (!query) {
      setResults(null);
      return;
    }
    const ac = new AbortController();
    const timer = setTimeout(() => {
      api.search(query, ac.signal).then(
        (r) => {
          setResults(r);
          setFailed(false);
          setActive(0);
          setOpen(true);
        },
        (err: unknown) => {
          if (ac.signal.aborted) return;
          console.warn('search failed:', err);
          setFailed(true);
          setResults([]);
          setOpen(true);
        },
      );
    }, debounceMs);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [q, api, debounceMs]);

  const choose = (r: SearchResult) => {
    onSelect(r);
    setOpen(false);
    setQ(r.name);
    inputRef.current?.blur();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!results?.length) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (a + 1) % results.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => (a - 1 + results.length) % results.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(results[Math.min(active, results.length - 1)]);
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  };

  const showList = open && results !== null && q.trim() !== '';
  return (
    <div className="search" data-testid="search">
      <input
        ref={inputRef}
        className="search__input"
        type="search"
        role="combobox"
        aria-label={t('search.label')}
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        placeholder={t('search.placeholder')}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={onKeyDown}
        onFocus={() => results && setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      {showList && (
        <ul className="search__results" id={listId} role="listbox">
          {results!.length === 0 && <li className="search__none">{failed ? t('search.error') : t('search.none')}</li>}
          {results!.map((r, i) => (
            <li
              key={`${r.kind}:${r.id}`}
              role="option"
              aria-selected={i === active}
              className={`search__result${i === active ? ' search__result--active' : ''}`}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(r);
              }}
              onMouseEnter={() => setActive(i)}
              data-kind={r.kind}
              data-code={r.code}
            >
              <span className={`search__kind search__kind--${r.kind}`}>{t(`search.kind.${r.kind}` as MessageKey)}</span>
              <span className="search__name">{r.name}</span>
              <span className="search__meta">
                {r.context ? `${r.context} · ` : ''}
                {r.code}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
