/** The global through which the search child (search-host.ts) hands the search runtime to the search file (search.ts). */
export const RUNTIME_GLOBAL = '__tddFastSearchRuntime';
