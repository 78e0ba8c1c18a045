export { createStore, INIT } from './create-store';
export { combineReducers } from './combine-reducers';
export { applyMiddleware, createHistory, allowOnly } from './middleware';
export type * from './types';
