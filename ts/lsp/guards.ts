/**
 * No request or notification can end the server: a handler's failure is logged to the client (`window/logMessage`)
 * and, for a request, answered with an error response. A request about a document that is not open is the client's
 * mistake (InvalidParams); a generation the server refuses is told to the user; anything else is a failure of ours
 * (RequestFailed, with the stack in the log).
 */
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import type { Connection } from 'vscode-languageserver/node';

import { NotOpenError } from './documents';
import { GenerationRefused } from './generation';
import { tell } from './messages';

export function failure(connection: Connection, name: string, error: unknown): ResponseError<void> {
  if (error instanceof ResponseError) return error as ResponseError<void>;
  if (error instanceof NotOpenError) {
    connection.console.error(`tdd-fast: ${name}: ${error.message}`);
    return new ResponseError(ErrorCodes.InvalidParams, error.message);
  }
  if (error instanceof GenerationRefused) {
    tell(connection, 'warning', `tdd-fast: ${error.message}`);
    return new ResponseError(LSPErrorCodes.RequestFailed, error.message);
  }
  const message = error instanceof Error ? error.message : String(error);
  connection.console.error(`tdd-fast: ${name} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
  return new ResponseError(LSPErrorCodes.RequestFailed, `tdd-fast: ${name} failed: ${message}`);
}

/** A request handler whose failure is logged and answered with an error, never thrown. */
export function guardRequest<P, R>(connection: Connection, name: string, handler: (params: P, token: CancellationToken) => R | Promise<R>) {
  return async (params: P, token: CancellationToken): Promise<R | ResponseError<void>> => {
    try {
      return await handler(params, token);
    } catch (error) {
      return failure(connection, name, error);
    }
  };
}

/** A notification handler whose failure is logged (a notification has no response to carry it). */
export function guardNotification<P>(connection: Connection, name: string, handler: (params: P) => void) {
  return (params: P) => {
    try {
      handler(params);
    } catch (error) {
      failure(connection, name, error);
    }
  };
}
