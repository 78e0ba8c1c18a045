/** The error every pool of tdd-fast/testing rejects with once it is closed (the SQLite ConnectionPool, the PostgreSQL templates' refill). */
export class PoolClosedError extends Error {
  readonly code = 'TDD_FAST_POOL_CLOSED';
}
