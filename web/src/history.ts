/**
 * Undo and redo over snapshots of what the designer set (preset, parameters, colour edits). A new snapshot
 * after an undo drops the redo branch, as editors do; equal consecutive snapshots are kept once.
 */
export class History<T> {
  private readonly items: T[] = [];
  private index = -1;

  constructor(private readonly same: (a: T, b: T) => boolean, private readonly limit = 100) {}

  /** Records a state reached by the designer (not by undo/redo themselves). */
  push(item: T): void {
    const current = this.items[this.index];
    if (current !== undefined && this.same(current, item)) return;
    this.items.splice(this.index + 1);
    this.items.push(item);
    if (this.items.length > this.limit) this.items.shift();
    this.index = this.items.length - 1;
  }

  undo(): T | undefined {
    if (!this.canUndo) return undefined;
    this.index -= 1;
    return this.items[this.index];
  }

  redo(): T | undefined {
    if (!this.canRedo) return undefined;
    this.index += 1;
    return this.items[this.index];
  }

  get canUndo(): boolean { return this.index > 0; }
  get canRedo(): boolean { return this.index < this.items.length - 1; }
}
