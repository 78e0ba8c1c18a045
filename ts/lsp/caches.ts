/**
 * What the server remembers per document, bounded for a long session (lru-cache): the analysis of the latest version
 * (hover, code lens and code actions answer from it without analysing again) and the last report without syntax errors
 * (its earlier functions stay visible while an edit breaks the file). An evicted entry costs one analysis.
 */
import { LRUCache } from 'lru-cache';

import type { FileReport } from '../engine/types';
import type { DocumentAnalysis } from './analysis';

/** Documents whose analyses are kept. Effect's 680 sources opened one by one stay well under the memory target. */
export const MAX_CACHED_DOCUMENTS = 64;

export class AnalysisCache {
  private readonly latest = new LRUCache<string, DocumentAnalysis>({ max: MAX_CACHED_DOCUMENTS });
  private readonly clean = new LRUCache<string, FileReport>({ max: MAX_CACHED_DOCUMENTS });

  /** The analysis of exactly this version, if still cached. */
  get(uri: string, version: number): DocumentAnalysis | undefined {
    const hit = this.latest.get(uri);
    return hit && hit.version === version ? hit : undefined;
  }

  set(analysis: DocumentAnalysis): void {
    this.latest.set(analysis.uri, analysis);
  }

  lastClean(uri: string): FileReport | undefined {
    return this.clean.get(uri);
  }

  setClean(uri: string, report: FileReport): void {
    this.clean.set(uri, report);
  }

  forget(uri: string): void {
    this.latest.delete(uri);
    this.clean.delete(uri);
  }

  /** Config or baseline changed: every analysis is stale. */
  invalidate(): void {
    this.latest.clear();
    this.clean.clear();
  }
}
