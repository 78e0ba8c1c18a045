/**
 * The editor's open buffers, kept in sync from didOpen / didChange / didClose (incremental edits applied with
 * vscode-languageserver-textdocument). Each buffer also remembers the first line any edit touched since its last
 * analysis without syntax errors: the lines above it are unchanged since then (see analysis.ts, which keeps the
 * findings of functions there while the file does not parse), and whether it holds edits not saved yet (the duplicate
 * scan then reads the buffer instead of the file).
 */
import type { DidChangeTextDocumentParams, DidOpenTextDocumentParams } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** A request or edit named a document the client never opened. */
export class NotOpenError extends Error {
  constructor(readonly uri: string) {
    super(`${uri} is not open: send textDocument/didOpen before editing it or asking about it`);
    this.name = 'NotOpenError';
  }
}

export interface OpenDocument {
  document: TextDocument;
  /** 0-based; Infinity when nothing changed since the last clean analysis. */
  firstChangedLine: number;
  /** Edited since it was opened or last saved. */
  unsaved: boolean;
}

/** The first line where `before` and `after` differ (full-text changes carry no range). */
function firstDifferentLine(before: string, after: string): number {
  const shorter = Math.min(before.length, after.length);
  let i = 0;
  while (i < shorter && before.charCodeAt(i) === after.charCodeAt(i)) i++;
  if (i === before.length && i === after.length) return Infinity;
  let line = 0;
  for (let at = before.indexOf('\n'); at !== -1 && at < i; at = before.indexOf('\n', at + 1)) line++;
  return line;
}

export class OpenDocuments {
  private readonly open = new Map<string, OpenDocument>();

  didOpen(params: DidOpenTextDocumentParams): OpenDocument {
    const { uri, languageId, version, text } = params.textDocument;
    const entry = { document: TextDocument.create(uri, languageId, version, text), firstChangedLine: Infinity, unsaved: false };
    this.open.set(uri, entry);
    return entry;
  }

  /** Applies the edits; throws NotOpenError for a document that is not open. */
  didChange(params: DidChangeTextDocumentParams): OpenDocument {
    const entry = this.require(params.textDocument.uri);
    let first = entry.firstChangedLine;
    let document = entry.document;
    for (const change of params.contentChanges) {
      // TextDocument.update changes the document in place: a full-text change is compared with the text before it.
      const before = 'range' in change ? undefined : document.getText();
      document = TextDocument.update(document, [change], params.textDocument.version);
      first = Math.min(first, 'range' in change ? change.range.start.line : firstDifferentLine(before!, document.getText()));
    }
    entry.document = document;
    entry.firstChangedLine = first;
    entry.unsaved = true;
    return entry;
  }

  didClose(uri: string): void {
    this.open.delete(uri);
  }

  get(uri: string): OpenDocument | undefined {
    return this.open.get(uri);
  }

  /** The open document, or NotOpenError (requests about a document the client did not open fail with it). */
  require(uri: string): OpenDocument {
    const entry = this.open.get(uri);
    if (!entry) throw new NotOpenError(uri);
    return entry;
  }

  all(): OpenDocument[] {
    return [...this.open.values()];
  }
}
