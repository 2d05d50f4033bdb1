// Changes to a segment's schedules, staged in the page and sent together as one semantic patch
// of its expiring targets. The contexts variant of that API takes users too (a user is a context
// of kind "user") and checks a move against the schedule's own _version, so a move fails only if
// that schedule changed since the page read it, not whenever anything else in the segment did.

/** The identity of a target in a segment: its kind, list and key (keys may hold any character). */
export function targetId(kind, list, key) {
  return JSON.stringify([kind, list, key]);
}

/** What a staged change asks for, in words. */
export function describe(change, format) {
  const who = change.kind === 'user' ? 'user' : change.kind + ' context';
  switch (change.action) {
    case 'add':
      return ['Schedule the removal of ' + who + ' ', change.key, ' from ' + change.list + ' for ' + format(change.value)];
    case 'update':
      return ['Move the removal of ' + who + ' ', change.key, ' from ' + change.list + ' to ' + format(change.value)];
    default:
      return ['Cancel the removal of ' + who + ' ', change.key, ' from ' + change.list];
  }
}

/** What a staged change does to its own target, for the target's row. */
export function summary(change, format) {
  switch (change.action) {
    case 'add':
      return 'remove on ' + format(change.value);
    case 'update':
      return 'move the removal to ' + format(change.value);
    default:
      return 'cancel the removal';
  }
}

/** The instruction of LaunchDarkly's expiring-targets semantic patch that carries out a change. */
export function instruction(change) {
  const base = {contextKey: change.key, contextKind: change.kind, targetType: change.list};
  switch (change.action) {
    case 'add':
      return {kind: 'addExpiringTarget', ...base, value: change.value};
    case 'update':
      return {kind: 'updateExpiringTarget', ...base, value: change.value, version: change.version};
    default:
      return {kind: 'removeExpiringTarget', ...base};
  }
}

/**
 * The staged changes, in the order they were made; one per target, a later change to the same
 * target replacing the earlier one. A failed change stays, with the service's message.
 */
export class PendingChanges {
  constructor() {
    this.byTarget = new Map();
  }

  get size() {
    return this.byTarget.size;
  }

  list() {
    return [...this.byTarget.values()];
  }

  get(id) {
    return this.byTarget.get(id);
  }

  /** Stages a new date for a target: an add if it has no schedule, else a move of the one it has. */
  schedule(target, schedule, value) {
    this.stage(schedule
      ? {id: target.id, kind: target.kind, list: target.list, key: target.key, action: 'update', value, version: schedule.version}
      : {id: target.id, kind: target.kind, list: target.list, key: target.key, action: 'add', value});
  }

  cancel(target) {
    this.stage({id: target.id, kind: target.kind, list: target.list, key: target.key, action: 'remove'});
  }

  stage(change) {
    this.byTarget.delete(change.id);
    this.byTarget.set(change.id, change);
  }

  undo(id) {
    this.byTarget.delete(id);
  }

  clear() {
    this.byTarget.clear();
  }

  /** The request body for all staged changes, in order: instruction i is list()[i]. */
  request(comment) {
    const body = {instructions: this.list().map(instruction)};
    if (comment) {
      body.comment = comment;
    }
    return body;
  }

  /**
   * Takes the answer to request(): changes that succeeded leave, failed ones stay with their
   * message (errors[].instructionIndex counts from 0). Returns the number that failed.
   */
  settle(sent, errors) {
    const failed = new Map((errors || []).map(e => [e.instructionIndex, e.message]));
    sent.forEach((change, index) => {
      if (failed.has(index)) {
        this.byTarget.set(change.id, {...change, error: failed.get(index)});
      } else if (this.byTarget.get(change.id) === change) {
        this.byTarget.delete(change.id);
      }
    });
    return failed.size;
  }
}
