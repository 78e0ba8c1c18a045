import { applyMiddleware, combineReducers, createHistory, createStore } from '@store';
import { type CartAction, type CartState, cartReducer, selectTotal } from '@features/cart/cart-slice';
import { type TodosAction, type TodosState, todosReducer } from '@features/todos/todos-slice';

export interface AppState {
  cart: CartState;
  todos: TodosState;
}

export type AppAction = CartAction | TodosAction;

/** The application's store: both slices, with an action history for debugging. */
export function createAppStore(preloaded?: AppState) {
  const reducer = combineReducers<AppState, AppAction>({
    cart: (state, action) => cartReducer(state, action as CartAction),
    todos: (state, action) => todosReducer(state, action as TodosAction),
  });
  const history = createHistory<AppState, AppAction>(20);
  const store = applyMiddleware(createStore(reducer, preloaded), history.middleware);
  return { store, history: history.entries, cartTotal: () => selectTotal(store.getState().cart) };
}
