/**
 * Messages to the user (`window/showMessage`). A notification, not the library's showXMessage helpers: those send
 * `window/showMessageRequest` and wait for an answer some clients never give.
 */
import { MessageType, ShowMessageNotification } from 'vscode-languageserver';
import type { Connection } from 'vscode-languageserver/node';

export function tell(connection: Connection, type: 'info' | 'warning' | 'error', message: string): void {
  const kind = type === 'error' ? MessageType.Error : type === 'warning' ? MessageType.Warning : MessageType.Info;
  void connection.sendNotification(ShowMessageNotification.type, { type: kind, message });
}
