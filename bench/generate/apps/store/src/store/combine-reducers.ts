import type { Action, AnyAction, Reducer } from './types';

export type ReducersMapObject<S, A extends Action = AnyAction> = { [K in keyof S]: Reducer<S[K], A> };

/** One reducer from a map of reducers, each owning the key of the state it is named after. */
export function combineReducers<S extends object, A extends Action = AnyAction>(reducers: ReducersMapObject<S, A>): Reducer<S, A> {
  const keys = Object.keys(reducers).filter((k) => typeof reducers[k as keyof S] === 'function') as (keyof S)[];
  if (keys.length === 0) throw new Error('combineReducers needs at least one reducer');
  for (const key of keys) {
    const initial = reducers[key](undefined, { type: '@@store/PROBE' } as A);
    if (initial === undefined) throw new Error(`the reducer for '${String(key)}' returned undefined for the initial state`);
  }
  return (state, action) => {
    const previous = (state ?? {}) as S;
    let changed = state === undefined;
    const next = {} as S;
    for (const key of keys) {
      next[key] = reducers[key](previous[key], action);
      changed ||= next[key] !== previous[key];
    }
    return changed ? next : previous;
  };
}
