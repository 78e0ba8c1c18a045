import type { Action } from '@store';

export interface Todo {
  id: number;
  title: string;
  done: boolean;
  tags: string[];
}

export type Filter = 'all' | 'open' | 'done';

export interface TodosState {
  items: Todo[];
  filter: Filter;
  nextId: number;
}

export type TodosAction =
  | (Action<'todos/add'> & { title: string; tags?: string[] })
  | (Action<'todos/toggle'> & { id: number })
  | (Action<'todos/rename'> & { id: number; title: string })
  | (Action<'todos/filter'> & { filter: Filter })
  | Action<'todos/clearDone'>;

export const initialTodos: TodosState = { items: [], filter: 'all', nextId: 1 };

export function todosReducer(state: TodosState = initialTodos, action: TodosAction): TodosState {
  switch (action.type) {
    case 'todos/add': {
      const title = action.title.trim();
      if (!title) return state;
      const todo: Todo = { id: state.nextId, title, done: false, tags: [...new Set(action.tags ?? [])] };
      return { ...state, items: [...state.items, todo], nextId: state.nextId + 1 };
    }
    case 'todos/toggle':
      return { ...state, items: state.items.map((t) => (t.id === action.id ? { ...t, done: !t.done } : t)) };
    case 'todos/rename': {
      const title = action.title.trim();
      if (!title) throw new Error(`todo ${action.id} needs a title`);
      return { ...state, items: state.items.map((t) => (t.id === action.id ? { ...t, title } : t)) };
    }
    case 'todos/filter':
      return { ...state, filter: action.filter };
    case 'todos/clearDone':
      return { ...state, items: state.items.filter((t) => !t.done) };
    default:
      return state;
  }
}

export function visibleTodos(state: TodosState): Todo[] {
  if (state.filter === 'all') return state.items;
  return state.items.filter((t) => (state.filter === 'done' ? t.done : !t.done));
}

/** Todos grouped by tag; untagged ones under ''. */
export function byTag(todos: readonly Todo[]): Map<string, Todo[]> {
  const groups = new Map<string, Todo[]>();
  for (const todo of todos) {
    for (const tag of todo.tags.length ? todo.tags : ['']) groups.set(tag, [...(groups.get(tag) ?? []), todo]);
  }
  return groups;
}
