export interface Action<T extends string = string> {
  type: T;
}

export interface AnyAction extends Action {
  [extra: string]: unknown;
}

export type Reducer<S, A extends Action = AnyAction> = (state: S | undefined, action: A) => S;
export type Listener = () => void;
export type Unsubscribe = () => void;

export interface Store<S, A extends Action = AnyAction> {
  dispatch(action: A): A;
  getState(): S;
  subscribe(listener: Listener): Unsubscribe;
  replaceReducer(next: Reducer<S, A>): void;
}

export interface MiddlewareApi<S, A extends Action = AnyAction> {
  getState(): S;
  dispatch(action: A): A;
}

export type Middleware<S, A extends Action = AnyAction> = (api: MiddlewareApi<S, A>) => (next: (action: A) => A) => (action: A) => A;
