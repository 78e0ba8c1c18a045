import type { Action, AnyAction, Listener, Reducer, Store, Unsubscribe } from './types';

export const INIT = '@@store/INIT';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/** A store holding one state tree, changed only by dispatching actions through the reducer. */
export function createStore<S, A extends Action = AnyAction>(reducer: Reducer<S, A>, preloadedState?: S): Store<S, A> {
  if (typeof reducer !== 'function') throw new TypeError(`the reducer must be a function, got ${typeof reducer}`);
  let current = reducer;
  let state = preloadedState;
  let listeners: Listener[] = [];
  let dispatching = false;

  const store: Store<S, A> = {
    getState() {
      if (dispatching) throw new Error('getState() may not be called while a reducer runs');
      return state as S;
    },
    subscribe(listener) {
      if (typeof listener !== 'function') throw new TypeError('a listener must be a function');
      let subscribed = true;
      listeners = [...listeners, listener];
      const unsubscribe: Unsubscribe = () => {
        if (!subscribed) return;
        subscribed = false;
        listeners = listeners.filter((l) => l !== listener);
      };
      return unsubscribe;
    },
    dispatch(action) {
      if (!isPlainObject(action)) throw new TypeError('actions must be plain objects');
      if (typeof action.type !== 'string') throw new TypeError('an action needs a string type');
      if (dispatching) throw new Error('reducers may not dispatch actions');
      try {
        dispatching = true;
        state = current(state, action);
      } finally {
        dispatching = false;
      }
      for (const listener of listeners) listener();
      return action;
    },
    replaceReducer(next) {
      if (typeof next !== 'function') throw new TypeError('the next reducer must be a function');
      current = next;
      store.dispatch({ type: INIT } as A);
    },
  };
  store.dispatch({ type: INIT } as A);
  return store;
}
