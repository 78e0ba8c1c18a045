import type { Action, AnyAction, Middleware, Store } from './types';

/** A store whose dispatch goes through the middlewares first, left to right. */
export function applyMiddleware<S, A extends Action = AnyAction>(store: Store<S, A>, ...middlewares: Middleware<S, A>[]): Store<S, A> {
  let dispatch: (action: A) => A = () => {
    throw new Error('dispatching while middleware is being set up is not allowed');
  };
  const api = { getState: store.getState, dispatch: (action: A) => dispatch(action) };
  const chain = middlewares.map((m) => m(api));
  dispatch = chain.reduceRight((next, link) => link(next), store.dispatch.bind(store));
  return { ...store, dispatch };
}

/** Records every action with the state after it, newest last, keeping at most `limit`. */
export function createHistory<S, A extends Action = AnyAction>(limit = 50) {
  const entries: { action: A; state: S }[] = [];
  const middleware: Middleware<S, A> = (api) => (next) => (action) => {
    const result = next(action);
    entries.push({ action, state: api.getState() });
    if (entries.length > limit) entries.shift();
    return result;
  };
  return { middleware, entries: () => [...entries] };
}

/** Refuses actions whose type is not in the allowed list. */
export function allowOnly<S, A extends Action = AnyAction>(types: readonly string[]): Middleware<S, A> {
  return () => (next) => (action) => {
    if (!types.includes(action.type) && !action.type.startsWith('@@')) throw new Error(`action '${action.type}' is not allowed`);
    return next(action);
  };
}
