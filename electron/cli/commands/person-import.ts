/**
 * `station person import FILE.csv`: reads the file and hands it to the core's
 * person import (electron/core/workflow/person-import.ts holds every rule:
 * header, row checks with line numbers, all or nothing, audit).
 */
import { readInputFile } from '../files.js';
import type { StationStore } from '../../core/store/store.js';
import { importPersons, personsFileText, type ImportResult } from '../../core/workflow/person-import.js';

export { CSV_COLUMNS, parseCsv, validatePersonsCsv, type RowError } from '../../core/workflow/person-import.js';

/**
 * Imports a persons CSV file, all or nothing.
 * @param actor audit actor (officer username)
 * @returns how many persons were added, or every bad row (then none was added)
 * @throws StationError INVALID_INPUT when the file cannot be read or is too large
 */
export function importPersonsCsv(store: StationStore, path: string, actor: string): ImportResult {
  return importPersons(store, personsFileText(readInputFile(path, 'persons file')), actor);
}
